package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import java.util.List;

public final class UniformInitializerProvider implements InitializerProvider {
    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public String description() {
        return "independent draws from the uniform distribution U[low, high)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.number("low", -0.05, -Double.MAX_VALUE, Double.MAX_VALUE, "the lower bound, included"),
                ParamSpec.number("high", 0.05, -Double.MAX_VALUE, Double.MAX_VALUE, "the upper bound, excluded"));
    }

    @Override
    public Initializer create(Params params) {
        double low = params.getDouble("low");
        double high = params.getDouble("high");
        if (!(low < high)) throw new PluginException("low (" + low + ") must be below high (" + high + ")");
        return new UniformInitializer(low, high);
    }
}
