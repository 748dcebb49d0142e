package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class EluActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "elu";
    }

    @Override
    public String description() {
        return "exponential linear unit: z for z > 0, alpha (e^z - 1) below";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.number("alpha", 1.0, 0, 100, "the value approached as z goes to minus infinity, negated"));
    }

    @Override
    public Activation create(Params params) {
        return new EluActivation(params.getDouble("alpha"));
    }
}
