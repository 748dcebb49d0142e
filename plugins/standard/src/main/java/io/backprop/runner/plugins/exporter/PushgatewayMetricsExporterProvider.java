package io.backprop.runner.plugins.exporter;

import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.MetricsExporterProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import java.net.URI;
import java.util.List;

public final class PushgatewayMetricsExporterProvider implements MetricsExporterProvider {
    @Override
    public String name() {
        return "pushgateway";
    }

    @Override
    public String description() {
        return "pushes the run's meters to a Prometheus Pushgateway every so many epochs and at the end, as batch jobs do";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.string("url", "http://127.0.0.1:9091", "the Pushgateway's base URL"),
                ParamSpec.string("job", "backprop-runner", "the job label"),
                ParamSpec.string(
                        "grouping",
                        "experiment,run",
                        "the run's labels that make up the grouping key, comma-separated"),
                ParamSpec.integer("every", 10L, 0, Integer.MAX_VALUE, "epochs between pushes (0: at the end only)"),
                ParamSpec.bool(
                        "delete_on_finish", false, "delete the run's group from the Pushgateway when the run ends"),
                ParamSpec.number(
                        "timeout_seconds",
                        5.0,
                        0.1,
                        600,
                        "how long one push may take; the end of the run waits at most this for its last"));
    }

    @Override
    public MetricsExporter create(Params params) {
        URI url;
        try {
            url = URI.create(params.getString("url"));
        } catch (IllegalArgumentException e) {
            throw new PluginException("url is not a URL: " + params.getString("url"));
        }
        if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
            throw new PluginException("url must be an http(s) URL such as http://127.0.0.1:9091, got " + url);
        }
        List<String> grouping = List.of(params.getString("grouping").split("\\s*,\\s*"));
        for (String label : grouping) {
            if (!List.of("experiment", "run").contains(label)) {
                throw new PluginException("grouping may name experiment and run, got '" + label + "'");
            }
        }
        return new PushgatewayMetricsExporter(
                url,
                params.getString("job"),
                grouping,
                params.getInt("every"),
                params.getBoolean("delete_on_finish"),
                params.getDouble("timeout_seconds"));
    }
}
