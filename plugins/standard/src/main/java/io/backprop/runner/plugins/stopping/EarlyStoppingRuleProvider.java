package io.backprop.runner.plugins.stopping;

import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugin.StoppingRuleProvider;
import java.util.List;

public final class EarlyStoppingRuleProvider implements StoppingRuleProvider {
    static final List<String> MONITORS = Metric.keys(Metric.MONITORABLE);

    @Override
    public String name() {
        return "early-stopping";
    }

    @Override
    public String description() {
        return "stop when the monitored metric has not improved for patience epochs; end with the best epoch's weights";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.choice(
                        "monitor",
                        MONITORS,
                        "the metric to watch; losses and RMSE improve downwards, accuracy upwards"),
                ParamSpec.integer("patience", 10L, 1, Integer.MAX_VALUE, "epochs without improvement before stopping"),
                ParamSpec.number(
                        "min_delta", 0.0, 0, Double.MAX_VALUE, "the least change that counts as an improvement"),
                ParamSpec.bool(
                        "restore_best", true, "end with the weights of the best epoch, even if the rule never fires"));
    }

    @Override
    public StoppingRule create(Params params) {
        return new EarlyStoppingRule(
                params.getString("monitor"),
                params.getInt("patience"),
                params.getDouble("min_delta"),
                params.getBoolean("restore_best"));
    }
}
