package io.backprop.runner.plugins.optimizer;

import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.OptimizerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class MomentumOptimizerProvider implements OptimizerProvider {
    @Override
    public String name() {
        return "momentum";
    }

    @Override
    public String description() {
        return "gradient descent with momentum: v = mu v - eta g, w += v (Nesterov's look-ahead with nesterov: true)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.positive("learning_rate", 0.01, Double.MAX_VALUE, "the step size eta"),
                ParamSpec.number("momentum", 0.9, 0, 0.999999, "mu, the share of the last step kept"),
                ParamSpec.bool("nesterov", false, "take the gradient's step from where momentum leads"));
    }

    @Override
    public Optimizer create(Params params) {
        return new MomentumOptimizer(
                params.getDouble("learning_rate"), params.getDouble("momentum"), params.getBoolean("nesterov"));
    }
}
