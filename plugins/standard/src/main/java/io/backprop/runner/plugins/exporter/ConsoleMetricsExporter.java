package io.backprop.runner.plugins.exporter;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints the run's meters as a table, one line per meter, sorted by name and tags. */
final class ConsoleMetricsExporter implements MetricsExporter {
    private final int every;
    private final boolean jvm;
    private ExportContext context;
    /** The composite's meters read through a registry of their own: a composite meter with no registry reads 0. */
    private SimpleMeterRegistry values;

    ConsoleMetricsExporter(int every, boolean jvm) {
        this.every = every;
        this.jvm = jvm;
    }

    @Override
    public void open(ExportContext context) {
        this.context = context;
        values = new SimpleMeterRegistry();
        context.registry().add(values);
    }

    @Override
    public void epochEnded(EpochMetrics metrics) {
        if (every > 0 && metrics.epoch() % every == 0) print("after epoch " + metrics.epoch());
    }

    @Override
    public void close() {
        if (context == null) return;
        print("at the end");
        context.registry().remove(values);
        values.close();
    }

    private void print(String when) {
        var out = context.console();
        out.println("meters of " + context.experiment() + " run " + context.runId() + ", " + when + ":");
        values.getMeters().stream()
                .filter(m -> jvm || !m.getId().getName().startsWith("jvm."))
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName())
                        .thenComparing(m -> m.getId().getTags().toString()))
                .forEach(m -> out.println("  " + line(m)));
    }

    private static String line(Meter m) {
        String tags = m.getId().getTags().stream()
                .filter(t -> !t.getKey().equals("experiment") && !t.getKey().equals("run"))
                .map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(",", "{", "}"));
        var values = new StringBuilder();
        for (Measurement measurement : m.measure()) {
            values.append(' ')
                    .append(measurement.getStatistic().getTagValueRepresentation())
                    .append('=')
                    .append(String.format(Locale.ROOT, "%.6g", measurement.getValue()));
        }
        return m.getId().getName() + (tags.equals("{}") ? "" : tags) + values;
    }
}
