package io.backprop.runner.plugins.optimizer;

/**
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= alpha m^ / (sqrt(v^) + eps)} with the bias corrections
 * {@code m^ = m / (1 - b1^t)}, {@code v^ = v / (1 - b2^t)}, t counting each array's steps.
 */
final class AdamOptimizer extends ScaledRateOptimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double[][] m;
    private double[][] v;
    /** Steps taken per slot; doubles, so that they save with the moments (exact far past any run's length). */
    private double[] steps;

    AdamOptimizer(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public void prepare(int[] lengths) {
        m = new double[lengths.length][];
        v = new double[lengths.length][];
        steps = new double[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            m[s] = new double[lengths[s]];
            v[s] = new double[lengths[s]];
        }
    }

    @Override
    public java.util.List<double[]> state() {
        var all = new java.util.ArrayList<double[]>(java.util.List.of(m));
        all.addAll(java.util.List.of(v));
        all.add(steps);
        return all;
    }

    @Override
    public void step(int slot, double[] params, double[] gradient, int length) {
        double t = ++steps[slot];
        double[] ms = m[slot];
        double[] vs = v[slot];
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        double alpha = rate;
        for (int i = 0; i < length; i++) {
            double g = gradient[i];
            ms[i] = beta1 * ms[i] + (1 - beta1) * g;
            vs[i] = beta2 * vs[i] + (1 - beta2) * g * g;
            params[i] -= alpha * (ms[i] / correction1) / (Math.sqrt(vs[i] / correction2) + epsilon);
        }
    }
}
