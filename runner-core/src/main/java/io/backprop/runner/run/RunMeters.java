package io.backprop.runner.run;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.Metric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's meters, holding current values and totals; the epoch is never a tag (per-epoch history lives in
 * metrics.jsonl). Per split: {@code runner.loss} and {@code runner.accuracy} (or {@code runner.rmse}), and the best
 * loss so far with its epoch; per layer: {@code runner.gradient.norm} (mean over the epoch's batches),
 * {@code runner.weight.norm} and {@code runner.dead.units} (the share of units that gave 0 for every training
 * example); the learning rate, examples per second, epoch and batch duration timers, epoch and example counters,
 * and the JVM's memory, GC and thread meters.
 *
 * <p>Examples per second has one definition, which summary.json, metrics.jsonl, the progress line and every exporter
 * share: the examples trained so far divided by the time spent in their training steps (forward, backward and
 * update; the evaluation after each epoch and the exporters' work excluded), as {@code bench} counts it.
 */
final class RunMeters implements AutoCloseable {
    private final Map<String, double[]> current = new HashMap<>();
    private final Timer epochDuration;
    private final Timer batchDuration;
    private final Counter epochs;
    private final Counter examples;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Metric monitored;
    private final double[] best = {Double.NaN};
    private final double[] bestEpoch = {Double.NaN};
    private long trainedExamples;
    private long stepNanos;

    RunMeters(MeterRegistry registry, boolean classification, boolean hasValidation, int layers) {
        String second = classification ? "accuracy" : "rmse";
        for (boolean validation : hasValidation ? new boolean[] {false, true} : new boolean[] {false}) {
            String split = validation ? "validation" : "train";
            gauge(
                    registry,
                    "runner.loss",
                    Metric.loss(validation),
                    "split",
                    split,
                    "mean cost over the split, without the L2 term");
            gauge(
                    registry,
                    "runner." + second,
                    Metric.score(validation, classification),
                    "split",
                    split,
                    classification ? "share of examples classified right" : "root mean squared error");
        }
        monitored = Metric.loss(hasValidation);
        String split = hasValidation ? "validation" : "train";
        Gauge.builder("runner.best.loss", best, v -> v[0])
                .tag("split", split)
                .description("lowest loss so far")
                .strongReference(true)
                .register(registry);
        Gauge.builder("runner.best.epoch", bestEpoch, v -> v[0])
                .tag("split", split)
                .description("epoch of the lowest loss so far")
                .strongReference(true)
                .register(registry);
        for (int l = 0; l < layers; l++) {
            String layer = Integer.toString(l);
            gauge(
                    registry,
                    "runner.gradient.norm",
                    Metric.layerGradientNorm(l),
                    "layer",
                    layer,
                    "L2 norm of dC/dW, mean over the epoch's batches");
            gauge(registry, "runner.weight.norm", Metric.layerWeightNorm(l), "layer", layer, "L2 norm of the weights");
            gauge(
                    registry,
                    "runner.dead.units",
                    Metric.layerDeadFraction(l),
                    "layer",
                    layer,
                    "share of units with output 0 for every training example");
        }
        gauge(registry, "runner.learning.rate", Metric.LEARNING_RATE, null, null, "learning rate in force");
        gauge(
                registry,
                "runner.examples.per.second",
                Metric.EXAMPLES_PER_SECOND,
                null,
                null,
                "examples trained per second of training steps, over the run so far");
        epochDuration = Timer.builder("runner.epoch.duration")
                .description("wall time of an epoch, evaluation included")
                .register(registry);
        batchDuration = Timer.builder("runner.batch.duration")
                .description("wall time of a training step")
                .register(registry);
        epochs = Counter.builder("runner.epochs").description("epochs finished").register(registry);
        examples = Counter.builder("runner.examples")
                .baseUnit("examples")
                .description("examples trained on")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    private void gauge(
            MeterRegistry registry, String name, Metric metric, String tag, String value, String description) {
        double[] holder = {Double.NaN};
        current.put(metric.key(), holder);
        var builder =
                Gauge.builder(name, holder, v -> v[0]).description(description).strongReference(true);
        if (tag != null) builder.tag(tag, value);
        builder.register(registry);
    }

    /**
     * A resumed run's totals before it resumed: the examples its checkpoint counts and the examples per second recorded
     * with the checkpoint's epoch (NaN when none was: the rate then counts from the resumption).
     */
    void resumeFrom(long examples, double examplesPerSecond) {
        if (!(examplesPerSecond > 0) || Double.isInfinite(examplesPerSecond)) return;
        trainedExamples = examples;
        stepNanos = Math.round(examples / examplesPerSecond * 1e9);
    }

    /** Examples trained per second of training steps, over the run so far; NaN before the first timed step. */
    double examplesPerSecond() {
        return stepNanos == 0 ? Double.NaN : trainedExamples / (stepNanos / 1e9);
    }

    /** Records an epoch; returns its metrics with {@code examples_per_second} added, for metrics.jsonl and the progress line. */
    EpochMetrics record(EpochMetrics metrics, long examplesThisEpoch, long[] batchNanos) {
        for (long b : batchNanos) {
            batchDuration.record(Duration.ofNanos(b));
            stepNanos += b;
        }
        trainedExamples += examplesThisEpoch;
        metrics.values().forEach((k, v) -> {
            double[] holder = current.get(k);
            if (holder != null) holder[0] = v;
        });
        double perSecond = examplesPerSecond();
        current.get(Metric.EXAMPLES_PER_SECOND.key())[0] = perSecond;
        Map<String, Double> values = new LinkedHashMap<>(metrics.values());
        values.put(Metric.EXAMPLES_PER_SECOND.key(), perSecond);
        double loss = metrics.get(monitored);
        if (Double.isNaN(best[0]) || loss < best[0]) {
            best[0] = loss;
            bestEpoch[0] = metrics.epoch();
        }
        epochDuration.record(Duration.ofNanos((long) (metrics.get(Metric.SECONDS) * 1e9)));
        epochs.increment();
        examples.increment(examplesThisEpoch);
        return new EpochMetrics(metrics.epoch(), values);
    }

    @Override
    public void close() {
        gc.close();
    }
}
