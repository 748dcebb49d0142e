package io.backprop.runner.plugins.exporter;

import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.MetricsExporterProvider;
import io.backprop.runner.plugin.Params;

public final class FileMetricsExporterProvider implements MetricsExporterProvider {
    @Override
    public String name() {
        return "file";
    }

    @Override
    public String description() {
        return "metrics.jsonl (a JSON line per epoch) and metrics.prom (Prometheus text at the end) in the run directory";
    }

    @Override
    public MetricsExporter create(Params params) {
        return new FileMetricsExporter();
    }
}
