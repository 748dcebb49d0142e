package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.OptimizerProvider;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.OptimizerContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in optimizer, held to the test kit's contract. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class OptimizersTest extends OptimizerContract {
    @Parameter
    OptimizerProvider provider;

    static Stream<Named<OptimizerProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.OPTIMIZER);
    }

    @Override
    protected OptimizerProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }
}
