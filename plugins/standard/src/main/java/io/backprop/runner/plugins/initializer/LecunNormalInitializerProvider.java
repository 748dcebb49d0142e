package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class LecunNormalInitializerProvider implements InitializerProvider {
    @Override
    public String name() {
        return "lecun-normal";
    }

    @Override
    public String description() {
        return "LeCun normal: std sqrt(1 / fan_in), for SELU and tanh layers";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.positive("gain", 1.0, 100, "multiplies the scale"));
    }

    @Override
    public Initializer create(Params params) {
        return new FanScaledInitializer(false, 1.0, FanScaledInitializer.Fan.IN, params.getDouble("gain"));
    }
}
