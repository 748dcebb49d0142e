package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import java.util.random.RandomGenerator;

/** {@code mean + std * N(0, 1)}, one Gaussian draw per value, in index order. */
final class NormalInitializer implements Initializer {
    private final double mean;
    private final double std;

    NormalInitializer(double mean, double std) {
        this.mean = mean;
        this.std = std;
    }

    @Override
    public void initialize(double[] values, int length, int fanIn, int fanOut, RandomGenerator random) {
        for (int i = 0; i < length; i++) values[i] = mean + std * random.nextGaussian();
    }
}
