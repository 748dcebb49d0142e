package io.backprop.runner.plugins.initializer;

import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.Params;

public final class ZerosInitializerProvider implements InitializerProvider {
    @Override
    public String name() {
        return "zeros";
    }

    @Override
    public String description() {
        return "all zeros: the usual bias start; for weights it locks units into symmetry";
    }

    @Override
    public Initializer create(Params params) {
        return new ConstantInitializer(0);
    }
}
