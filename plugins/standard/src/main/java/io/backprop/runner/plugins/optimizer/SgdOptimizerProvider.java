package io.backprop.runner.plugins.optimizer;

import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.OptimizerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class SgdOptimizerProvider implements OptimizerProvider {
    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String description() {
        return "plain gradient descent: w -= learning_rate * dC/dw after every batch";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.positive("learning_rate", 0.1, Double.MAX_VALUE, "the step size eta"));
    }

    @Override
    public Optimizer create(Params params) {
        return new SgdOptimizer(params.getDouble("learning_rate"));
    }
}
