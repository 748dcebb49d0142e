package io.backprop.runner.plugins.optimizer;

import io.backprop.runner.plugin.Optimizer;

/** {@code p -= eta * g}; keeps no state. */
final class SgdOptimizer implements Optimizer {
    private final double learningRate;

    SgdOptimizer(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void step(int slot, double[] params, double[] gradient, int length) {
        for (int i = 0; i < length; i++) params[i] -= learningRate * gradient[i];
    }

    @Override
    public double learningRate() {
        return learningRate;
    }
}
