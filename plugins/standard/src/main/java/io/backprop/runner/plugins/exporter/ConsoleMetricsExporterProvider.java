package io.backprop.runner.plugins.exporter;

import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.MetricsExporterProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class ConsoleMetricsExporterProvider implements MetricsExporterProvider {
    @Override
    public String name() {
        return "console";
    }

    @Override
    public String description() {
        return "prints every meter of the run (name, tags, value) at the end, and every so many epochs if asked";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer(
                        "every",
                        0L,
                        0,
                        Integer.MAX_VALUE,
                        "epochs between printouts during the run (0: at the end only)"),
                ParamSpec.bool("jvm", false, "include the JVM's memory, GC and thread meters"));
    }

    @Override
    public MetricsExporter create(Params params) {
        return new ConsoleMetricsExporter(params.getInt("every"), params.getBoolean("jvm"));
    }
}
