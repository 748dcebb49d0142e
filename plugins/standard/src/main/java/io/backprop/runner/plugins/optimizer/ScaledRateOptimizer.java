package io.backprop.runner.plugins.optimizer;

import io.backprop.runner.plugin.Optimizer;

/** The learning rate every optimizer here keeps: the configured one times the schedule's factor. */
abstract class ScaledRateOptimizer implements Optimizer {
    private final double configured;
    protected double rate;

    ScaledRateOptimizer(double configured) {
        this.configured = configured;
        this.rate = configured;
    }

    @Override
    public final void scaleLearningRate(double factor) {
        rate = configured * factor;
    }

    @Override
    public final double learningRate() {
        return rate;
    }
}
