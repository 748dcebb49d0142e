package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.ActivationContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in activation, held to the test kit's contract. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class ActivationsTest extends ActivationContract {
    @Parameter
    ActivationProvider provider;

    static Stream<Named<ActivationProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.ACTIVATION);
    }

    @Override
    protected ActivationProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }

    /** Softmax couples a row's outputs into probabilities: it belongs at the output. */
    @Override
    protected boolean fitsAHiddenLayer() {
        return !provider.name().equals("softmax");
    }
}
