package io.backprop.runner.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch measured, by {@link Metric} name: {@code train_loss}, {@code train_accuracy} (or {@code train_rmse}
 * for regression), the same for {@code validation_}, {@code learning_rate}, per-layer health, {@code seconds}. Names
 * absent from a run (no validation set) are absent here.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public final class EpochMetrics {
    private final int epoch;
    private final Map<String, Double> values;

    public EpochMetrics(int epoch, Map<String, Double> values) {
        this.epoch = epoch;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Counting from 1. */
    public int epoch() {
        return epoch;
    }

    /** The value, or NaN when this run does not measure it. */
    public double get(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value, or NaN when this run does not measure it. */
    public double get(Metric metric) {
        return get(metric.key());
    }

    public boolean has(Metric metric) {
        return has(metric.key());
    }

    /** Every value, in a stable order. */
    public Map<String, Double> values() {
        return values;
    }
}
