package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import java.util.random.RandomGenerator;

/**
 * Draws scaled by the layer's fan-in and fan-out, so that signals keep their variance from layer to layer: a normal
 * with standard deviation {@code gain * sqrt(numerator / fan)}, or a uniform on {@code ±gain * sqrt(3 numerator / fan)}
 * (the same variance), where fan is the fan-in, or the mean of fan-in and fan-out.
 */
final class FanScaledInitializer implements Initializer {
    enum Fan {
        IN,
        AVERAGE
    }

    private final boolean uniform;
    private final double numerator;
    private final Fan fan;
    private final double gain;

    FanScaledInitializer(boolean uniform, double numerator, Fan fan, double gain) {
        this.uniform = uniform;
        this.numerator = numerator;
        this.fan = fan;
        this.gain = gain;
    }

    @Override
    public void initialize(double[] values, int length, int fanIn, int fanOut, RandomGenerator random) {
        double n = fan == Fan.IN ? fanIn : (fanIn + fanOut) / 2.0;
        double std = gain * Math.sqrt(numerator / n);
        if (uniform) {
            double limit = std * Math.sqrt(3);
            for (int i = 0; i < length; i++) values[i] = limit * (2 * random.nextDouble() - 1);
        } else {
            for (int i = 0; i < length; i++) values[i] = std * random.nextGaussian();
        }
    }
}
