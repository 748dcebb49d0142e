package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Every value {@code value}; draws nothing from the random stream. */
final class ConstantInitializer implements Initializer {
    private final double value;

    ConstantInitializer(double value) {
        this.value = value;
    }

    @Override
    public void initialize(double[] values, int length, int fanIn, int fanOut, RandomGenerator random) {
        Arrays.fill(values, 0, length, value);
    }
}
