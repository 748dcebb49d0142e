package com.example.backprop;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class SwishActivationProvider implements ActivationProvider {
    @Override
    public String name() {
        return "swish";
    }

    @Override
    public String description() {
        return "swish z * sigmoid(beta * z), smooth and non-monotonic (Ramachandran et al., 2017)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.positive("beta", 1.0, 100, "the slope inside the sigmoid"));
    }

    @Override
    public Activation create(Params params) {
        return new SwishActivation(params.getDouble("beta"));
    }
}
