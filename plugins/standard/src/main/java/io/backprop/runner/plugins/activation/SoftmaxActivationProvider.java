package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.Params;

public final class SoftmaxActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public String description() {
        return "softmax over each example's outputs: class probabilities summing to 1 (output layer, with cross-entropy)";
    }

    @Override
    public Activation create(Params params) {
        return new SoftmaxActivation();
    }
}
