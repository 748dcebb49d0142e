package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class NormalInitializerProvider implements InitializerProvider {
    @Override
    public String name() {
        return "normal";
    }

    @Override
    public String description() {
        return "independent draws from a normal distribution N(mean, std^2)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.number("mean", 0.0, -Double.MAX_VALUE, Double.MAX_VALUE, "the mean"),
                ParamSpec.number("std", 1.0, 0, Double.MAX_VALUE, "the standard deviation"));
    }

    @Override
    public Initializer create(Params params) {
        return new NormalInitializer(params.getDouble("mean"), params.getDouble("std"));
    }
}
