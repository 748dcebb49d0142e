package io.backprop.runner.plugins.exporter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends each epoch to metrics.jsonl as it ends (flushed, so a crash loses nothing recorded), and writes the
 * Prometheus text exposition of the run's meters to metrics.prom when the run closes. A resumed run keeps the lines
 * of the epochs before the one it starts at.
 */
final class FileMetricsExporter implements MetricsExporter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private PrometheusMeterRegistry prometheus;
    private BufferedWriter lines;
    private Path directory;
    private ExportContext context;

    @Override
    public void open(ExportContext context) throws IOException {
        this.context = context;
        directory = context.runDirectory();
        prometheus = Prometheus.registry();
        context.registry().add(prometheus);
        Path file = directory.resolve("metrics.jsonl");
        List<String> kept = context.firstEpoch() > 1 && Files.exists(file)
                ? Files.readAllLines(file, StandardCharsets.UTF_8).subList(0, context.firstEpoch() - 1) : List.of();
        lines = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        for (String line : kept) {
            lines.write(line);
            lines.newLine();
        }
        lines.flush();
    }

    @Override
    public void epochEnded(EpochMetrics metrics) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", metrics.epoch());
        metrics.values().forEach((k, v) -> line.put(k, Double.isFinite(v) ? v : null));
        lines.write(JSON.writeValueAsString(line));
        lines.newLine();
        lines.flush();
    }

    @Override
    public void close() throws IOException {
        if (lines != null) lines.close();
        if (prometheus != null) {
            Files.writeString(directory.resolve("metrics.prom"), prometheus.scrape(), StandardCharsets.UTF_8);
            context.registry().remove(prometheus);
            prometheus.close();
        }
    }
}
