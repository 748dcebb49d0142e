package io.backprop.runner.plugins.optimizer;

/** {@code p -= eta * g}; keeps no state. */
final class SgdOptimizer extends ScaledRateOptimizer {
    SgdOptimizer(double learningRate) {
        super(learningRate);
    }

    @Override
    public void step(int slot, double[] params, double[] gradient, int length) {
        double eta = rate;
        for (int i = 0; i < length; i++) params[i] -= eta * gradient[i];
    }
}
