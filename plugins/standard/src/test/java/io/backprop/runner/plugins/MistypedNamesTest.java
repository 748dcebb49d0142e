package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in name of every kind, mistyped as people mistype, is suggested back; plainly and qualified. */
class MistypedNamesTest {
    static Stream<Arguments> names() {
        List<Arguments> all = new ArrayList<>();
        for (PluginKind<?> kind : PluginKind.ALL) {
            for (PluginProvider<?> p : StandardPlugins.registry().providers(kind)) {
                all.add(Arguments.of(Named.of(kind.noun(), kind), p.name()));
            }
        }
        return all.stream();
    }

    /** Two neighbours swapped, one letter dropped, one doubled, '_' for '-', capitals. */
    static List<String> typos(String name) {
        int mid = name.length() / 2;
        List<String> typos = new ArrayList<>();
        typos.add(name.substring(0, mid - 1) + name.charAt(mid) + name.charAt(mid - 1) + name.substring(mid + 1));
        if (name.length() > 2) typos.add(name.substring(0, mid) + name.substring(mid + 1));
        typos.add(name.substring(0, mid) + name.charAt(mid) + name.substring(mid));
        typos.add(name.replace('-', '_').toUpperCase(java.util.Locale.ROOT));
        return typos;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String message(PluginKind<?> kind, String typed) {
        var ref = new PluginRef(kind.noun(), typed, Map.of(), new Where("e.yaml", 4, 11, "somewhere"));
        var e = assertThrows(
                SpecException.class, () -> StandardPlugins.registry().resolve((PluginKind) kind, ref));
        assertEquals(1, e.problems().size());
        return e.problems().get(0).message();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("names")
    void aMistypedNameIsSuggested(PluginKind<?> kind, String name) {
        for (String typo : typos(name)) {
            if (typo.equals(name)) continue;
            String message = message(kind, typo);
            String hints = message.substring(0, message.indexOf(" ("));
            assertTrue(hints.contains("did you mean ") && hints.contains("'" + name + "'"), typo + ": " + message);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("names")
    void aMistypedQualifiedNameIsSuggested(PluginKind<?> kind, String name) {
        String typo = typos(name).get(0);
        String message = message(kind, "bultin/" + typo);
        String hints = message.substring(0, message.indexOf(" ("));
        assertTrue(hints.contains("'builtin/" + name + "'"), message);
    }

    @Test
    void theMessageNamesAtMostThree() {
        assertEquals(
                "unknown activation 'tahn'; did you mean 'tanh'? (available: elu, identity, leaky-relu, relu, sigmoid,"
                        + " softmax, softplus, tanh)",
                message(PluginKind.ACTIVATION, "tahn"));
        assertEquals(
                "unknown initializer 'he'; did you mean 'he-normal' or 'he-uniform'? (available: constant, from-model,"
                        + " he-normal, he-uniform, lecun-normal, normal, uniform, xavier-normal, xavier-uniform, zeros)",
                message(PluginKind.INITIALIZER, "he"));
    }
}
