package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.MetricsExporterProvider;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.MetricsExporterContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in metrics exporter, held to the test kit's contract, on any free port. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class ExportersContractTest extends MetricsExporterContract {
    @Parameter
    MetricsExporterProvider provider;

    static Stream<Named<MetricsExporterProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.METRICS_EXPORTER);
    }

    @Override
    protected MetricsExporterProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }
}
