package io.backprop.runner.plugins.exporter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
    private Path file;
    private ExportContext context;

    @Override
    public void open(ExportContext context) throws IOException {
        this.context = context;
        directory = context.runDirectory();
        prometheus = Prometheus.registry();
        context.registry().add(prometheus);
        file = directory.resolve("metrics.jsonl");
        if (context.firstEpoch() > 1 && Files.exists(file)) {
            // The epochs before the resumed one go to a new file renamed over the old: a crash here loses none of them.
            List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8).subList(0, context.firstEpoch() - 1);
            Path tmp = directory.resolve(".metrics.jsonl.tmp");
            try {
                Files.write(tmp, kept, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            lines = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } else {
            lines = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void epochEnded(EpochMetrics metrics) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", metrics.epoch());
        metrics.values().forEach((k, v) -> line.put(k, Double.isFinite(v) ? v : null));
        try {
            lines.write(JSON.writeValueAsString(line));
            lines.newLine();
            lines.flush();
        } catch (IOException e) {
            throw new FileSystemException(file.toString(), null, e.getMessage()); // a full disk says no more than that
        }
    }

    @Override
    public void close() throws IOException {
        if (lines != null) lines.close();
        if (prometheus != null) {
            Path prom = directory.resolve("metrics.prom");
            // Written beside and renamed over, so a full disk leaves the last whole file (or none), never an empty one.
            Path tmp = directory.resolve(".metrics.prom." + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                Files.writeString(tmp, prometheus.scrape(), StandardCharsets.UTF_8);
                Files.move(
                        tmp,
                        prom,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw new FileSystemException(
                        prom.toString(), null, e instanceof FileSystemException f ? f.getReason() : e.getMessage());
            } finally {
                context.registry().remove(prometheus);
                prometheus.close();
            }
        }
    }
}
