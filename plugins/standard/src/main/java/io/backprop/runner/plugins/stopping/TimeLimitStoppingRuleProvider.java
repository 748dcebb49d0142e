package io.backprop.runner.plugins.stopping;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugin.StoppingRuleProvider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class TimeLimitStoppingRuleProvider implements StoppingRuleProvider {
    @Override
    public String name() {
        return "time-limit";
    }

    @Override
    public String description() {
        return "stop after the epoch that brings training time past a limit";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.positive("seconds", null, Double.MAX_VALUE, "the training time allowed"));
    }

    @Override
    public StoppingRule create(Params params) {
        double limit = params.getDouble("seconds");
        return new StoppingRule() {
            private double spent;

            @Override
            public Optional<String> afterEpoch(io.backprop.runner.plugin.EpochMetrics metrics) {
                spent += metrics.get(io.backprop.runner.plugin.Metric.SECONDS);
                return spent >= limit
                        ? Optional.of(String.format(Locale.ROOT, "time limit of %s s reached (%.2f s)", limit, spent))
                        : Optional.empty();
            }
        };
    }
}
