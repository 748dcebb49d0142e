package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.DataSourceContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in data source but csv and idx (their own tests give them files), held to the test kit's contract. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class DataSourcesContractTest extends DataSourceContract {
    @Parameter
    DataSourceProvider provider;

    static Stream<Named<DataSourceProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.DATA_SOURCE);
    }

    @Override
    protected DataSourceProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }
}
