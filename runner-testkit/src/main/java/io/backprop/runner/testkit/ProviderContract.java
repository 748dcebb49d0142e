package io.backprop.runner.testkit;

import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every provider must satisfy, whatever its kind. Extend the contract of your provider's kind
 * ({@link ActivationContract}, {@link CostContract}, ...) in your plugin's tests and return your provider from
 * {@link #provider()}; JUnit runs the inherited tests.
 *
 * @param <P> the provider interface
 */
public abstract class ProviderContract<P extends PluginProvider<?>> {
    /** The provider under test; a new instance each call is fine. */
    protected abstract P provider();

    /**
     * Parameter values to build the component with, each set checked on its own; values are Double, Long,
     * Boolean or String. The default is one set with every parameter at its default: override it when a parameter
     * is required, or to cover settings that change the component's maths.
     */
    protected List<Map<String, ?>> parameterSets() {
        return List.of(Map.of());
    }

    /** {@code values} checked against the provider's declared parameters, the rest at their defaults. */
    protected final Params params(Map<String, ?> values) {
        return Params.of(provider(), values);
    }

    @Test
    public void declaresAKebabCaseNameADescriptionAndConsistentParameters() {
        PluginChecks.checkDeclaration(provider());
    }

    @Test
    public void isListedInItsServicesFile() {
        PluginChecks.checkListedInServices(provider());
    }

    @Test
    public void refusesValuesOutsideItsDeclaredParameters() {
        PluginChecks.checkParameterValidation(provider(), parameterSets().get(0));
    }

    @Test
    public void buildsFromEveryParameterSet() {
        for (Map<String, ?> values : parameterSets()) {
            if (provider().create(params(values)) == null) throw new AssertionError("create returned null for " + values);
        }
    }
}
