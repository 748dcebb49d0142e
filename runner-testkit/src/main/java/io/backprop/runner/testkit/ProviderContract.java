package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every provider must satisfy, whatever its kind. Extend the contract of your provider's kind
 * ({@link ActivationContract}, {@link CostContract}, ...) in your plugin's tests and return your provider from
 * {@link #provider()}; JUnit runs the inherited tests.
 *
 * <p>Components are made the way the runner makes them: the values are bound to the provider's declared parameters by
 * the runner's registry (so a value it would refuse in an experiment fails here with the message a user would see),
 * and {@code create} runs with the provider's class loader as the thread's context loader. Each check makes a
 * component of its own: {@code create} must work when called more than once.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @param <T> the component the provider builds
 * @param <P> the provider interface
 * @since 0.1
 */
public abstract class ProviderContract<T, P extends PluginProvider<T>> {
    /** The provider under test; a new instance each call is fine. */
    protected abstract P provider();

    /**
     * Parameter values to build the component with, each set checked on its own; values are Double, Long,
     * Boolean or String (or a List or Map of strings). The default is one set with every parameter at its default:
     * override it when a parameter is required, or to cover settings that change the component's maths.
     */
    protected List<Map<String, ?>> parameterSets() {
        return List.of(Map.of());
    }

    /** The directory relative paths resolve against, as an experiment file's directory would be. */
    protected Path directory() {
        return Path.of(".");
    }

    /** {@code values} bound to the provider's declared parameters as the runner binds them, the rest at their defaults. */
    protected final Params params(Map<String, ?> values) {
        return RunnerPaths.resolve(provider(), values, directory()).params();
    }

    /** A new component from {@code values}, made as the runner makes it. */
    protected final T create(Map<String, ?> values) {
        T component = RunnerPaths.resolve(provider(), values, directory()).create();
        assertNotNull(component, provider().name() + ": create returned null for " + values);
        return component;
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
        for (Map<String, ?> values : parameterSets()) create(values);
    }

    /** The runner calls create again for each thread, replica, trial and resume: each call gives a component. */
    @Test
    public void buildsAsOftenAsItIsAsked() {
        for (Map<String, ?> values : parameterSets()) {
            for (int i = 0; i < 3; i++) create(values);
        }
    }
}
