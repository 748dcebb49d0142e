package io.backprop.runner.plugins.stopping;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.StoppingRule;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Fires at the first epoch whose monitored loss is below the target. */
final class TargetLossStoppingRule implements StoppingRule {
    private final double below;
    private final String monitor;

    TargetLossStoppingRule(double below, String monitor) {
        this.below = below;
        this.monitor = monitor;
    }

    @Override
    public List<Metric> monitors() {
        return List.of(new Metric(monitor));
    }

    @Override
    public Optional<String> afterEpoch(EpochMetrics metrics) {
        if (!metrics.has(monitor)) {
            throw new PluginException("monitor " + monitor + " is not measured in this run; use train_loss");
        }
        double loss = metrics.get(monitor);
        return loss < below
                ? Optional.of(String.format(Locale.ROOT, "%s %.6g < %s", monitor, loss, below))
                : Optional.empty();
    }
}
