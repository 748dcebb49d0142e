package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins every built-in name, so that a lost services line fails here. */
class RegisteredNamesTest {
    @Test
    void everyBuiltInIsRegistered() {
        Map<PluginKind<?>, List<String>> expected = Map.of(
                PluginKind.ACTIVATION,
                        List.of("elu", "identity", "leaky-relu", "relu", "sigmoid", "softmax", "softplus", "tanh"),
                PluginKind.INITIALIZER,
                        List.of(
                                "constant",
                                "from-model",
                                "he-normal",
                                "he-uniform",
                                "lecun-normal",
                                "normal",
                                "uniform",
                                "xavier-normal",
                                "xavier-uniform",
                                "zeros"),
                PluginKind.COST, List.of("binary-cross-entropy", "cross-entropy", "quadratic"),
                PluginKind.OPTIMIZER, List.of("adam", "momentum", "sgd"),
                PluginKind.SCHEDULE,
                        List.of("constant", "cosine", "exponential", "reduce-on-plateau", "step", "warmup"),
                PluginKind.STOPPING_RULE,
                        List.of("early-stopping", "plateau", "target-accuracy", "target-loss", "time-limit"),
                PluginKind.DATA_SOURCE,
                        List.of("and", "blobs", "circles", "csv", "idx", "moons", "or", "sine", "spirals", "xor"),
                PluginKind.PREPROCESSOR, List.of("min-max", "standardize"),
                PluginKind.METRICS_EXPORTER, List.of("console", "file", "jmx", "prometheus", "pushgateway"));
        for (PluginKind<?> kind : PluginKind.ALL) {
            var names = StandardPlugins.registry().providers(kind).stream()
                    .map(PluginProvider::name)
                    .toList();
            assertEquals(expected.get(kind), names, kind.noun());
        }
        assertEquals(List.of(), StandardPlugins.registry().warnings());
    }

    @Test
    void everyProviderDescribesItselfInOneLine() {
        for (PluginKind<?> kind : PluginKind.ALL) {
            for (PluginProvider<?> p : StandardPlugins.registry().providers(kind)) {
                assertTrue(!p.description().isBlank() && !p.description().contains("\n"), p.name());
                assertEquals("built-in", StandardPlugins.registry().origin(kind, p.name()));
            }
        }
    }
}
