package io.backprop.runner.plugins.exporter;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The Prometheus registry the exporters here share the settings of. */
final class Prometheus {
    private Prometheus() {}

    /**
     * A registry that raises, rather than drops, a meter it cannot register (a name reused with other tag keys),
     * so that a mistake in the runner's meters fails loudly.
     */
    static PrometheusMeterRegistry registry() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().onMeterRegistrationFailed((id, reason) -> {
            throw new IllegalStateException(
                    "meter " + id.getName() + " " + id.getTags() + " was not registered: " + reason);
        });
        return registry;
    }
}
