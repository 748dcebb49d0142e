package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.Params;

public final class IdentityActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "identity";
    }

    @Override
    public String description() {
        return "identity z, for regression outputs";
    }

    @Override
    public Activation create(Params params) {
        return new IdentityActivation();
    }
}
