package io.backprop.runner.testkit;

import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.MetricsExporterProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of an exporter: it lives through a whole run, opened, fed epochs, and closed, one run after another.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class MetricsExporterContract extends ProviderContract<MetricsExporter, MetricsExporterProvider> {
    @Test
    public void livesThroughARun() throws Exception {
        for (Map<String, ?> values : parameterSets()) {
            PluginChecks.checkExporterLifecycle(create(values));
            PluginChecks.checkExporterLifecycle(create(values)); // the next run's, after the first has closed
        }
    }
}
