package io.backprop.runner.testkit;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.MetricsExporterProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of an exporter: it lives through a whole run, opened, fed epochs, and closed. */
public abstract class MetricsExporterContract extends ProviderContract<MetricsExporterProvider> {
    @Test
    public void livesThroughARun() throws Exception {
        Path dir = Files.createTempDirectory("exporter-contract");
        var registry = new CompositeMeterRegistry();
        registry.config().commonTags("experiment", "contract", "run", "r1");
        double[] loss = {1};
        Gauge.builder("runner.loss", loss, v -> v[0]).tag("split", "train").register(registry);
        try (MetricsExporter exporter = provider().create(params(parameterSets().get(0)))) {
            exporter.open(new ExportContext("contract", "r1", dir, registry));
            for (int epoch = 1; epoch <= 3; epoch++) {
                loss[0] = 1.0 / epoch;
                exporter.epochEnded(new EpochMetrics(epoch, Map.of("train_loss", loss[0], "seconds", 0.01)));
            }
        }
        registry.close();
    }
}
