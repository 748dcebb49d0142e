package io.backprop.runner.plugins.exporter;

import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.MetricsExporterProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.micrometer.core.instrument.Clock;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import java.util.List;

public final class JmxMetricsExporterProvider implements MetricsExporterProvider {
    @Override
    public String name() {
        return "jmx";
    }

    @Override
    public String description() {
        return "publishes the run's meters as JMX MBeans while the run lasts, for jconsole and friends";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.string("domain", "backprop.runner", "the JMX domain of the MBeans"));
    }

    @Override
    public MetricsExporter create(Params params) {
        String domain = params.getString("domain");
        return new MetricsExporter() {
            private ExportContext context;
            private JmxMeterRegistry jmx;

            @Override
            public void open(ExportContext context) {
                this.context = context;
                jmx = new JmxMeterRegistry(
                        new JmxConfig() {
                            @Override
                            public String get(String key) {
                                return null;
                            }

                            @Override
                            public String domain() {
                                return domain;
                            }
                        },
                        Clock.SYSTEM);
                context.registry().add(jmx);
            }

            @Override
            public void close() {
                if (jmx == null) return;
                context.registry().remove(jmx);
                jmx.close();
            }
        };
    }
}
