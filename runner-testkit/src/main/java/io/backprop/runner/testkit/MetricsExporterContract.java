package io.backprop.runner.testkit;

import io.backprop.runner.plugin.MetricsExporterProvider;
import org.junit.jupiter.api.Test;

/** The contract of an exporter: it lives through a whole run, opened, fed epochs, and closed. */
public abstract class MetricsExporterContract extends ProviderContract<MetricsExporterProvider> {
    @Test
    public void livesThroughARun() throws Exception {
        PluginChecks.checkExporterLifecycle(provider().create(params(parameterSets().get(0))));
    }
}
