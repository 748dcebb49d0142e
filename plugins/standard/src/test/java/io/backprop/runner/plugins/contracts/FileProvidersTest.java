package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.PluginChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The declarations of the built-ins that need a file (csv, idx, from-model): their contracts' other checks need real
 * files, which their own tests give them.
 */
class FileProvidersTest {
    static Stream<Named<PluginProvider<?>>> providers() {
        return StandardPlugins.needingAFile();
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
        PluginChecks.checkParameterValidation(p, StandardPlugins.valid(p).get(0));
    }
}
