package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.Params;

public final class SoftplusActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "softplus";
    }

    @Override
    public String description() {
        return "softplus ln(1 + e^z), a smooth ReLU";
    }

    @Override
    public Activation create(Params params) {
        return new SoftplusActivation();
    }
}
