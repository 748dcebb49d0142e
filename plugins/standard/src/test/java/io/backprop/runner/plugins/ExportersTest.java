package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportersTest {
    private static MetricsExporter exporter(String name, Map<String, ?> values) {
        var p = StandardPlugins.registry().providers(PluginKind.METRICS_EXPORTER).stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return p.create(Params.of(p, values));
    }

    @Test
    void fileWritesAJsonLinePerEpochAndThePrometheusTextAtTheEnd(@TempDir Path dir) throws Exception {
        var registry = new CompositeMeterRegistry();
        registry.config().commonTags("experiment", "e", "run", "r");
        double[] loss = {0.5};
        Gauge.builder("runner.loss", loss, v -> v[0]).tag("split", "train").register(registry);
        try (MetricsExporter file = exporter("file", Map.of())) {
            file.open(new ExportContext("e", "r", dir, registry, System.err, 1));
            file.epochEnded(new EpochMetrics(1, Map.of("train_loss", 0.5)));
            loss[0] = 0.25;
            var second = new java.util.LinkedHashMap<String, Double>();
            second.put("train_loss", 0.25);
            second.put("validation_loss", Double.NaN);
            file.epochEnded(new EpochMetrics(2, second));
        }
        assertEquals(java.util.List.of("{\"epoch\":1,\"train_loss\":0.5}", "{\"epoch\":2,\"train_loss\":0.25,\"validation_loss\":null}"),
                Files.readAllLines(dir.resolve("metrics.jsonl")));
        assertTrue(Files.readString(dir.resolve("metrics.prom")).contains("runner_loss{experiment=\"e\",run=\"r\",split=\"train\"} 0.25"));
    }

    @Test
    void consolePrintsEveryMeterAtTheEnd(@TempDir Path dir) throws Exception {
        var registry = new CompositeMeterRegistry();
        registry.config().commonTags("experiment", "e", "run", "r");
        Gauge.builder("runner.loss", () -> 0.125).tag("split", "train").register(registry);
        var bytes = new ByteArrayOutputStream();
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8); MetricsExporter console = exporter("console", Map.of("every", 2L))) {
            console.open(new ExportContext("e", "r", dir, registry, out, 1));
            console.epochEnded(new EpochMetrics(1, Map.of()));
            console.epochEnded(new EpochMetrics(2, Map.of()));
        }
        assertEquals("""
                meters of e run r, after epoch 2:
                  runner.loss{split=train} value=0.125000
                meters of e run r, at the end:
                  runner.loss{split=train} value=0.125000
                """, bytes.toString(StandardCharsets.UTF_8));
    }
}
