package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class LeakyReluActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "leaky-relu";
    }

    @Override
    public String description() {
        return "leaky ReLU: z for z > 0, alpha z below";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.number("alpha", 0.01, 0, 1, "the slope for z < 0"));
    }

    @Override
    public Activation create(Params params) {
        return new LeakyReluActivation(params.getDouble("alpha"));
    }
}
