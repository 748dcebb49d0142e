package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import java.util.random.RandomGenerator;

/** {@code low + (high - low) * u}, u from {@code nextDouble()}, one draw per value in index order. */
final class UniformInitializer implements Initializer {
    private final double low;
    private final double high;

    UniformInitializer(double low, double high) {
        this.low = low;
        this.high = high;
    }

    @Override
    public void initialize(double[] values, int length, int fanIn, int fanOut, RandomGenerator random) {
        for (int i = 0; i < length; i++) values[i] = low + (high - low) * random.nextDouble();
    }
}
