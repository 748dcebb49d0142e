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

public final class PlateauStoppingRuleProvider implements StoppingRuleProvider {
    @Override
    public String name() {
        return "plateau";
    }

    @Override
    public String description() {
        return "stop when a loss has fallen by less than a relative tolerance over the last window of epochs";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.choice(
                        "monitor",
                        Metric.keys(List.of(Metric.TRAIN_LOSS, Metric.VALIDATION_LOSS)),
                        "the loss to watch"),
                ParamSpec.integer("window", 50L, 1, 1_000_000, "epochs to look back"),
                ParamSpec.positive(
                        "tolerance", 1e-3, 1, "the relative fall over the window below which training has stalled"));
    }

    @Override
    public StoppingRule create(Params params) {
        String monitor = params.getString("monitor");
        int window = params.getInt("window");
        double tolerance = params.getDouble("tolerance");
        return new StoppingRule() {
            /** The last window + 1 losses, as a ring. */
            private final double[] losses = new double[window + 1];

            @Override
            public List<Metric> monitors() {
                return List.of(new Metric(monitor));
            }

            @Override
            public Optional<String> afterEpoch(EpochMetrics metrics) {
                int epoch = metrics.epoch();
                losses[epoch % losses.length] = metrics.get(monitor);
                if (epoch <= window) return Optional.empty();
                double then = losses[(epoch - window) % losses.length];
                double now = losses[epoch % losses.length];
                double fall = (then - now) / Math.abs(then);
                return fall < tolerance
                        ? Optional.of(String.format(
                                Locale.ROOT,
                                "%s fell by %.3g%% over the last %s, less than %s%%",
                                monitor,
                                100 * fall,
                                window == 1 ? "epoch" : window + " epochs",
                                100 * tolerance))
                        : Optional.empty();
            }
        };
    }
}
