package io.backprop.runner.plugins;

import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.registry.Registry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

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

    /**
     * The built-ins of a kind, named for test reports, for the contract tests; those that need a file to work
     * (csv, idx, from-model) are left out: their own tests check them with real files.
     */
    public static <P extends PluginProvider<?>> Stream<Named<P>> forContracts(PluginKind<P> kind) {
        return REGISTRY.providers(kind).stream()
                .filter(p -> !needsAFile(p))
                .map(p -> Named.of(kind.noun() + " " + p.name(), p));
    }

    /** The built-ins that need a file to work, of every kind. */
    public static Stream<Named<PluginProvider<?>>> needingAFile() {
        return PluginKind.ALL.stream()
                .flatMap(k -> REGISTRY.providers(k).stream()
                        .filter(StandardPlugins::needsAFile)
                        .map(p -> Named.<PluginProvider<?>>of(k.noun() + " " + p.name(), p)));
    }

    private static boolean needsAFile(PluginProvider<?> p) {
        return p.parameters().stream().anyMatch(s -> s.required() && s.type() == ParamSpec.Type.PATH);
    }

    /** Valid values for every parameter: the defaults, and a value in range for each required one. */
    public static List<Map<String, ?>> valid(PluginProvider<?> p) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec s : p.parameters()) {
            if (!s.required()) continue;
            values.put(
                    s.name(),
                    switch (s.type()) {
                        case INTEGER -> (long) Math.max(s.min(), 1);
                        case NUMBER -> Math.max(s.min(), 0) + 0.5;
                        case BOOLEAN -> true;
                        case STRING ->
                            s.choices().isEmpty() ? "text" : s.choices().get(0);
                        case PATH -> "a-file.csv";
                        case LIST -> List.of();
                        case MAP -> Map.of();
                    });
        }
        // A fixed port may be taken on a shared machine: any free one will do here.
        if (p.parameters().stream().anyMatch(s -> s.name().equals("port"))) values.put("port", 0L);
        return List.of(values);
    }
}
