package io.backprop.runner.plugins.exporter;

import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.MetricsExporterProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class PrometheusMetricsExporterProvider implements MetricsExporterProvider {
    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public String description() {
        return "serves the run's meters for Prometheus to scrape over HTTP while the run lasts";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.string("host", "127.0.0.1", "the address to listen on (0.0.0.0 for every interface)"),
                ParamSpec.integer("port", 9464L, 0, 65535, "the port (0: any free one, printed when the run starts)"),
                ParamSpec.string("path", "/metrics", "the path that serves the metrics"),
                ParamSpec.number(
                        "linger_seconds", 0.0, 0, 86_400, "keep serving the final values this long after the run"));
    }

    @Override
    public MetricsExporter create(Params params) {
        String path = params.getString("path");
        if (!path.startsWith("/"))
            throw new io.backprop.runner.plugin.PluginException("path must start with /, got '" + path + "'");
        return new PrometheusMetricsExporter(
                params.getString("host"), params.getInt("port"), path, params.getDouble("linger_seconds"));
    }
}
