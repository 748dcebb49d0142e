package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class ConstantInitializerProvider implements InitializerProvider {
    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String description() {
        return "every value the same";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.number("value", 0.0, -Double.MAX_VALUE, Double.MAX_VALUE, "the value"));
    }

    @Override
    public Initializer create(Params params) {
        return new ConstantInitializer(params.getDouble("value"));
    }
}
