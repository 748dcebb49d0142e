package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.StoppingRuleProvider;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.StoppingRuleContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in stopping rule, held to the test kit's contract. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class StoppingRulesTest extends StoppingRuleContract {
    @Parameter
    StoppingRuleProvider provider;

    static Stream<Named<StoppingRuleProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.STOPPING_RULE);
    }

    @Override
    protected StoppingRuleProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }
}
