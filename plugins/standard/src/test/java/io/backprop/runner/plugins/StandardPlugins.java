package io.backprop.runner.plugins;

import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.registry.Registry;
import java.util.stream.Stream;

/** The built-in providers as the registry finds them, for parameterized tests. */
public final class StandardPlugins {
    private static final Registry REGISTRY = Registry.builtIn();

    private StandardPlugins() {}

    public static Registry registry() {
        return REGISTRY;
    }

    public static Stream<ActivationProvider> activations() {
        return REGISTRY.providers(PluginKind.ACTIVATION).stream();
    }

    public static Stream<CostProvider> costs() {
        return REGISTRY.providers(PluginKind.COST).stream();
    }
}
