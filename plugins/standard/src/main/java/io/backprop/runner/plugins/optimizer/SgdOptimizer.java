package io.backprop.runner.plugins.optimizer;

/** {@code p -= eta * g}; keeps no state. */
final class SgdOptimizer extends ElementwiseOptimizer {
    SgdOptimizer(double learningRate) {
        super(learningRate);
    }

    @Override
    public void step(int slot, double[] params, double[] gradient, int from, int to) {
        double eta = rate;
        for (int i = from; i < to; i++) params[i] -= eta * gradient[i];
    }

    /** The step above, which the engine may apply where it computes the gradient. */
    @Override
    public double plainRate() {
        return rate;
    }
}
