package io.backprop.runner.plugins.stopping;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.StoppingRule;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Counts epochs since the monitored metric last improved by more than min_delta; fires at patience. */
final class EarlyStoppingRule implements StoppingRule {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final boolean higherIsBetter;
    private double best = Double.NaN;
    private int bestEpoch;

    EarlyStoppingRule(String monitor, int patience, double minDelta, boolean restoreBest) {
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
        this.higherIsBetter = monitor.endsWith("accuracy");
    }

    @Override
    public Optional<String> afterEpoch(EpochMetrics metrics) {
        double value = metrics.get(monitor);
        double gain = higherIsBetter ? value - best : best - value;
        if (bestEpoch == 0 || gain > minDelta) {
            best = value;
            bestEpoch = metrics.epoch();
            return Optional.empty();
        }
        if (metrics.epoch() - bestEpoch < patience) return Optional.empty();
        return Optional.of(String.format(
                Locale.ROOT,
                "%s has not improved%s for %d epoch%s (best %.6g at epoch %d)",
                monitor,
                minDelta > 0 ? " by more than " + minDelta : "",
                metrics.epoch() - bestEpoch,
                metrics.epoch() - bestEpoch == 1 ? "" : "s",
                best,
                bestEpoch));
    }

    @Override
    public List<Metric> monitors() {
        return List.of(new Metric(monitor));
    }

    @Override
    public String restoreBestBy() {
        return restoreBest ? monitor : null;
    }
}
