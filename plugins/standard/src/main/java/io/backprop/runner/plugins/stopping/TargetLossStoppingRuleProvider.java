package io.backprop.runner.plugins.stopping;

import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugin.StoppingRuleProvider;
import java.util.List;

public final class TargetLossStoppingRuleProvider implements StoppingRuleProvider {
    @Override
    public String name() {
        return "target-loss";
    }

    @Override
    public String description() {
        return "stop once a loss falls below a target";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.positive("below", null, Double.MAX_VALUE, "stop when the loss is below this"),
                ParamSpec.choice(
                        "monitor",
                        Metric.keys(List.of(Metric.TRAIN_LOSS, Metric.VALIDATION_LOSS)),
                        "which loss to watch"));
    }

    @Override
    public StoppingRule create(Params params) {
        return new TargetLossStoppingRule(params.getDouble("below"), params.getString("monitor"));
    }
}
