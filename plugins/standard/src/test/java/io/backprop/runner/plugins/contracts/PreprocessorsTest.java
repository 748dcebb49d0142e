package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PreprocessorProvider;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.PreprocessorContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in preprocessor, held to the test kit's contract. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class PreprocessorsTest extends PreprocessorContract {
    @Parameter
    PreprocessorProvider provider;

    static Stream<Named<PreprocessorProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.PREPROCESSOR);
    }

    @Override
    protected PreprocessorProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }
}
