package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.InitializerContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in initializer but from-model (FromModelTest), held to the test kit's contract. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class InitializersTest extends InitializerContract {
    @Parameter
    InitializerProvider provider;

    static Stream<Named<InitializerProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.INITIALIZER);
    }

    @Override
    protected InitializerProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }

    /** zeros and constant give every unit of a layer the same weights: for biases, not to train from. */
    @Override
    protected boolean breaksSymmetry() {
        return !provider.name().equals("zeros") && !provider.name().equals("constant");
    }
}
