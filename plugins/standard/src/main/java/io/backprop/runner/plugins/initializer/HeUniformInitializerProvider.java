package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class HeUniformInitializerProvider implements InitializerProvider {
    @Override
    public String name() {
        return "he-uniform";
    }

    @Override
    public String description() {
        return "He uniform: U(-l, l), l = sqrt(6 / fan_in), for ReLU layers";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.positive("gain", 1.0, 100, "multiplies the scale"));
    }

    @Override
    public Initializer create(Params params) {
        return new FanScaledInitializer(true, 2.0, FanScaledInitializer.Fan.IN, params.getDouble("gain"));
    }
}
