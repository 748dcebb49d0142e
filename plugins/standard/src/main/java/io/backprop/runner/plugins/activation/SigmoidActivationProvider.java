package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.Params;

public final class SigmoidActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public String description() {
        return "logistic sigmoid 1 / (1 + e^-z), outputs in (0, 1)";
    }

    @Override
    public Activation create(Params params) {
        return new SigmoidActivation();
    }
}
