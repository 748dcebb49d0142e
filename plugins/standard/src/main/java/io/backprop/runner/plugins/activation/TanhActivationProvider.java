package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.Params;

public final class TanhActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "tanh";
    }

    @Override
    public String description() {
        return "hyperbolic tangent, outputs in (-1, 1)";
    }

    @Override
    public Activation create(Params params) {
        return new TanhActivation();
    }
}
