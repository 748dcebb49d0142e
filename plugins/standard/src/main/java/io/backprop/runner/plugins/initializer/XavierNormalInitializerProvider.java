package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class XavierNormalInitializerProvider implements InitializerProvider {
    @Override
    public String name() {
        return "xavier-normal";
    }

    @Override
    public String description() {
        return "Glorot/Xavier normal: std sqrt(2 / (fan_in + fan_out)), for tanh and sigmoid layers";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.positive("gain", 1.0, 100, "multiplies the scale"));
    }

    @Override
    public Initializer create(Params params) {
        return new FanScaledInitializer(false, 1.0, FanScaledInitializer.Fan.AVERAGE, params.getDouble("gain"));
    }
}
