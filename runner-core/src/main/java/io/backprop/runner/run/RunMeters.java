package io.backprop.runner.run;

import io.backprop.runner.plugin.EpochMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's meters: the current loss and accuracy (or RMSE) per split, the learning rate, an epoch-duration timer,
 * epoch and example counters. The epoch is never a tag; per-epoch history lives in metrics.jsonl.
 */
final class RunMeters {
    private final MeterRegistry registry;
    /** Gauge values by metric name ("train_loss"), read by the gauges; NaN until measured. */
    private final Map<String, double[]> current = new LinkedHashMap<>();
    private final Timer epochDuration;
    private final Counter epochs;
    private final Counter examples;

    RunMeters(MeterRegistry registry, boolean classification, boolean hasValidation) {
        this.registry = registry;
        String second = classification ? "accuracy" : "rmse";
        for (String split : hasValidation ? new String[] {"train", "validation"} : new String[] {"train"}) {
            gauge("runner.loss", split + "_loss", split, "mean cost over the split, without the L2 term");
            gauge("runner." + second, split + "_" + second, split,
                    classification ? "fraction of examples classified right" : "root mean squared error");
        }
        double[] lr = {Double.NaN};
        current.put("learning_rate", lr);
        Gauge.builder("runner.learning.rate", lr, v -> v[0]).description("learning rate in force").strongReference(true).register(registry);
        epochDuration = Timer.builder("runner.epoch.duration").description("wall time of an epoch, evaluation included").register(registry);
        epochs = Counter.builder("runner.epochs").description("epochs finished").register(registry);
        examples = Counter.builder("runner.examples").baseUnit("examples").description("examples trained on").register(registry);
    }

    private void gauge(String name, String key, String split, String description) {
        double[] holder = {Double.NaN};
        current.put(key, holder);
        Gauge.builder(name, holder, v -> v[0]).tag("split", split).description(description).strongReference(true).register(registry);
    }

    void record(EpochMetrics metrics, long examplesThisEpoch) {
        metrics.values().forEach((k, v) -> {
            double[] holder = current.get(k);
            if (holder != null) holder[0] = v;
        });
        epochDuration.record(Duration.ofNanos((long) (metrics.get("seconds") * 1e9)));
        epochs.increment();
        examples.increment(examplesThisEpoch);
    }
}
