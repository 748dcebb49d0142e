package io.backprop.runner.plugins;

import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.testkit.PluginChecks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks every provider owes, run over every provider the registry finds: a new plugin needs no new test. */
class ContractsTest {
    static Stream<Named<PluginProvider<?>>> providers() {
        return PluginKind.ALL.stream().flatMap(k -> StandardPlugins.registry().providers(k).stream()
                .map(p -> Named.<PluginProvider<?>>of(k.noun() + " " + p.name(), p)));
    }

    /** Valid values for every parameter: the defaults, and a value in range for each required one. */
    static Map<String, Object> valid(PluginProvider<?> p) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec s : p.parameters()) {
            if (s.required()) values.put(s.name(), s.type() == ParamSpec.Type.INTEGER ? (Object) (long) Math.max(s.min(), 1) : Math.max(s.min(), 0) + 0.5);
        }
        return values;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void declaresANameADescriptionAndConsistentParameters(PluginProvider<?> p) {
        PluginChecks.checkDeclaration(p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void isListedInItsServicesFile(PluginProvider<?> p) {
        PluginChecks.checkListedInServices(p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void refusesValuesOutsideItsDeclaredParameters(PluginProvider<?> p) {
        PluginChecks.checkParameterValidation(p, valid(p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void buildsFromValidParameters(PluginProvider<?> p) {
        if (p.create(Params.of(p, valid(p))) == null) throw new AssertionError(p.name() + " created null");
    }
}
