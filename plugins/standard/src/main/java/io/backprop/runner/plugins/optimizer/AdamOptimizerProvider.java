package io.backprop.runner.plugins.optimizer;

import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.OptimizerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class AdamOptimizerProvider implements OptimizerProvider {
    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String description() {
        return "Adam (Kingma and Ba, 2015): steps scaled by running averages of the gradient and its square";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.positive("learning_rate", 0.001, Double.MAX_VALUE, "the step size alpha"),
                ParamSpec.number("beta1", 0.9, 0, 0.999999, "decay of the gradient's running average"),
                ParamSpec.number("beta2", 0.999, 0, 0.99999999, "decay of the squared gradient's running average"),
                ParamSpec.positive(
                        "epsilon", 1e-8, 1, "added to the root of the second moment, against division by zero"));
    }

    @Override
    public Optimizer create(Params params) {
        return new AdamOptimizer(
                params.getDouble("learning_rate"),
                params.getDouble("beta1"),
                params.getDouble("beta2"),
                params.getDouble("epsilon"));
    }
}
