package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.CostContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in cost, held to the test kit's contract, trained behind the first output activation it fits. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class CostsTest extends CostContract {
    @Parameter
    CostProvider provider;

    static Stream<Named<CostProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.COST);
    }

    @Override
    protected CostProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }

    private io.backprop.runner.plugin.ActivationProvider output() {
        var cost = provider.create(params(Map.of()));
        return StandardPlugins.activations()
                .filter(a -> cost.misfit(a.name()) == null)
                .findFirst()
                .orElseThrow();
    }

    @Override
    protected io.backprop.runner.plugin.Activation outputActivation() {
        var output = output();
        return output.create(io.backprop.runner.plugin.Params.defaults(output));
    }

    @Override
    protected boolean oneHotTargets() {
        return output().name().equals("softmax");
    }
}
