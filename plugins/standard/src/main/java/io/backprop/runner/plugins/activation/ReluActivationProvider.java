package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.Params;

public final class ReluActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "relu";
    }

    @Override
    public String description() {
        return "rectified linear unit max(0, z)";
    }

    @Override
    public Activation create(Params params) {
        return new ReluActivation();
    }
}
