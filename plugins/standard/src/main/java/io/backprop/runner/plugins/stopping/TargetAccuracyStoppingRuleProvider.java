package io.backprop.runner.plugins.stopping;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugin.StoppingRuleProvider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class TargetAccuracyStoppingRuleProvider implements StoppingRuleProvider {
    @Override
    public String name() {
        return "target-accuracy";
    }

    @Override
    public String description() {
        return "stop once an accuracy reaches a target (1.0: every example right)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.positive("at_least", 1.0, 1, "stop when the accuracy is at least this"),
                ParamSpec.choice(
                        "monitor",
                        Metric.keys(List.of(Metric.TRAIN_ACCURACY, Metric.VALIDATION_ACCURACY)),
                        "which accuracy to watch"));
    }

    @Override
    public StoppingRule create(Params params) {
        double target = params.getDouble("at_least");
        String monitor = params.getString("monitor");
        return new StoppingRule() {
            @Override
            public Optional<String> afterEpoch(EpochMetrics metrics) {
                return metrics.get(monitor) >= target
                        ? Optional.of(
                                String.format(Locale.ROOT, "%s %.4f >= %s", monitor, metrics.get(monitor), target))
                        : Optional.empty();
            }

            @Override
            public List<Metric> monitors() {
                return List.of(new Metric(monitor));
            }
        };
    }
}
