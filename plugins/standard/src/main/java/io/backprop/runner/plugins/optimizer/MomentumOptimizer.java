package io.backprop.runner.plugins.optimizer;

/**
 * {@code v = mu v - eta g; w += v}. Nesterov's form, as Sutskever et al. (2013) rewrite it for the gradient at the
 * current weights: {@code w += mu v - eta g} with the new {@code v}.
 */
final class MomentumOptimizer extends ElementwiseOptimizer {
    private final double mu;
    private final boolean nesterov;
    private double[][] velocity;

    MomentumOptimizer(double learningRate, double mu, boolean nesterov) {
        super(learningRate);
        this.mu = mu;
        this.nesterov = nesterov;
    }

    @Override
    public void prepare(int[] lengths) {
        velocity = new double[lengths.length][];
        for (int s = 0; s < lengths.length; s++) velocity[s] = new double[lengths[s]];
    }

    @Override
    public java.util.List<double[]> state() {
        return java.util.List.of(velocity);
    }

    @Override
    public void step(int slot, double[] params, double[] gradient, int from, int to) {
        double[] v = velocity[slot];
        double eta = rate;
        for (int i = from; i < to; i++) {
            v[i] = mu * v[i] - eta * gradient[i];
            params[i] += nesterov ? mu * v[i] - eta * gradient[i] : v[i];
        }
    }
}
