package io.backprop.runner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.spec.Experiment.PluginLocation;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.Problem;
import io.backprop.runner.spec.Scalar;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {
    /** A cost provider with a name and parameters chosen by the test. */
    record FakeCost(String name, List<ParamSpec> parameters) implements CostProvider {
        @Override
        public String description() {
            return "a test cost";
        }

        @Override
        public Cost create(Params params) {
            if (params.asMap().containsKey("fail")) throw new PluginException("does not fit");
            return null;
        }
    }

    private static final Where AT = new Where("e.yaml", 3, 7, "cost");

    private static PluginRef ref(String name, Map<String, Scalar> params) {
        return new PluginRef("cost", name, params, AT);
    }

    private static Scalar scalar(String text, Scalar.Type type, String path) {
        return new Scalar(text, type, new Where("e.yaml", 3, 20, path));
    }

    private static List<String> problems(Runnable action) {
        return assertThrows(SpecException.class, action::run).problems().stream()
                .map(Problem::format)
                .toList();
    }

    @Test
    void unknownNamesListWhatIsAvailableAndSuggestTheClosest() {
        var registry =
                Registry.of(List.of(new FakeCost("quadratic", List.of()), new FakeCost("cross-entropy", List.of())));
        assertEquals(
                List.of(
                        "e.yaml:3:7: cost: unknown cost 'quadratik'; did you mean 'quadratic'? (available: cross-entropy, quadratic)"),
                problems(() -> registry.resolve(PluginKind.COST, ref("quadratik", Map.of()))));
    }

    @Test
    void parametersAreCheckedAndDefaultsFilledIn() {
        var provider = new FakeCost(
                "huber",
                List.of(
                        ParamSpec.positive("delta", 1.0, 10, "where it turns linear"),
                        ParamSpec.integer("power", 2L, 1, 4, "an exponent"),
                        ParamSpec.bool("mean", true, "average over the batch"),
                        ParamSpec.choice("mode", List.of("fast", "exact"), "how")));
        var registry = Registry.of(List.of(provider));
        Resolved<Cost> resolved = registry.resolve(
                PluginKind.COST, ref("huber", Map.of("delta", scalar("0.5", Scalar.Type.FLOAT, "cost.delta"))));
        assertEquals(
                Map.of("delta", 0.5, "power", 2L, "mean", true, "mode", "fast"),
                resolved.params().asMap());
        assertEquals(
                List.of("delta", "power", "mean", "mode"),
                List.copyOf(resolved.params().asMap().keySet()));

        Map<String, Scalar> bad = new LinkedHashMap<>();
        bad.put("delta", scalar("0", Scalar.Type.INTEGER, "cost.delta"));
        bad.put("power", scalar("2.5", Scalar.Type.FLOAT, "cost.power"));
        bad.put("mode", scalar("exakt", Scalar.Type.STRING, "cost.mode"));
        bad.put("deltta", scalar("1", Scalar.Type.INTEGER, "cost.deltta"));
        assertEquals(
                List.of(
                        "e.yaml:3:20: cost.deltta: unknown parameter 'deltta'; did you mean 'delta'? (huber takes: delta, mean, mode, power)",
                        "e.yaml:3:20: cost.delta: expected a number > 0 and <= 10, got 0",
                        "e.yaml:3:20: cost.power: expected an integer from 1 to 4, got 2.5",
                        "e.yaml:3:20: cost.mode: unknown value 'exakt'; did you mean 'exact'? (allowed: exact, fast)"),
                problems(() -> registry.resolve(PluginKind.COST, ref("huber", bad))));
    }

    @Test
    void anUnknownParameterIsFoundByAliasOrWhereItBelongs() {
        var registry = Registry.of(List.of(
                new FakeCost("weighted", List.of(ParamSpec.number("learning_rate", 0.1, 0, 1, "how fast"))),
                new FakeCost("plain", List.of())));
        assertEquals(
                List.of(
                        "e.yaml:3:20: cost.lr: unknown parameter 'lr'; did you mean 'learning_rate'? (weighted takes: learning_rate)"),
                problems(() -> registry.resolve(
                        PluginKind.COST, ref("weighted", Map.of("lr", scalar("0.1", Scalar.Type.FLOAT, "cost.lr"))))));
        assertEquals(
                List.of(
                        "e.yaml:3:20: cost.epochs: unknown parameter 'epochs'; did you mean 'training.max_epochs'? (plain takes no parameters)"),
                problems(() -> registry.resolve(
                        PluginKind.COST,
                        ref("plain", Map.of("epochs", scalar("5", Scalar.Type.INTEGER, "cost.epochs"))))));
        assertEquals(
                List.of(
                        "e.yaml:3:20: cost.learning_rate: unknown parameter 'learning_rate'; weighted takes it (plain takes no parameters)"),
                problems(() -> registry.resolve(
                        PluginKind.COST,
                        ref("plain", Map.of("learning_rate", scalar("0.1", Scalar.Type.FLOAT, "cost.learning_rate"))))),
                "another of the kind takes it");
        assertEquals(List.of("learning_rate"), registry.parameterNames("cost", "weighted"));
        assertEquals(List.of("learning_rate"), registry.parameterNames("cost", "builtin/weighted"));
        assertEquals(List.of(), registry.parameterNames("optimizer", "weighted"));
    }

    @Test
    void listAndMapParametersCheckEachItemAtItsOwnPlace() {
        var provider = new FakeCost(
                "table",
                List.of(
                        ParamSpec.list("drop", List.of(), "columns to drop"),
                        ParamSpec.map("types", List.of("numeric", "categorical"), "column types")));
        var registry = Registry.of(List.of(provider));
        Map<String, Scalar> given = new LinkedHashMap<>();
        given.put(
                "drop",
                Scalar.list(
                        List.of(
                                scalar("id", Scalar.Type.STRING, "cost.drop[0]"),
                                scalar("null", Scalar.Type.NULL, "cost.drop[1]")),
                        AT.at("cost.drop")));
        given.put(
                "types",
                Scalar.map(
                        List.of("year"),
                        List.of(scalar("categorical", Scalar.Type.STRING, "cost.types.year")),
                        AT.at("cost.types")));
        Resolved<Cost> resolved = registry.resolve(PluginKind.COST, ref("table", given));
        assertEquals(List.of("id", "null"), resolved.params().getList("drop"));
        assertEquals(Map.of("year", "categorical"), resolved.params().getMap("types"));
        assertEquals(
                Map.of("drop", List.of(), "types", Map.of()),
                registry.resolve(PluginKind.COST, ref("table", Map.of()))
                        .params()
                        .asMap());

        Map<String, Scalar> bad = new LinkedHashMap<>();
        bad.put("drop", scalar("id", Scalar.Type.STRING, "cost.drop"));
        // A single value where a list goes is a list of one; a map's value outside the choices is named where it
        // stands.
        bad.put(
                "types",
                Scalar.map(
                        List.of("year"),
                        List.of(new Scalar(
                                "numerc", Scalar.Type.STRING, new Where("e.yaml", 4, 30, "cost.types.year"))),
                        AT.at("cost.types")));
        assertEquals(
                List.of(
                        "e.yaml:4:30: cost.types.year: unknown value 'numerc'; did you mean 'numeric'? (allowed: categorical, numeric)"),
                problems(() -> registry.resolve(PluginKind.COST, ref("table", bad))));
        bad.put("types", scalar("numeric", Scalar.Type.STRING, "cost.types"));
        assertEquals(
                List.of(
                        "e.yaml:3:20: cost.types: expected a mapping of names to numeric, categorical ({a: x}), got 'numeric'"),
                problems(() -> registry.resolve(PluginKind.COST, ref("table", bad))));
    }

    @Test
    void requiredParametersMustBeGiven() {
        var registry = Registry.of(
                List.of(new FakeCost("needy", List.of(ParamSpec.number("weight", null, 0, 1, "how much")))));
        assertEquals(
                List.of("e.yaml:3:7: cost: needy needs 'weight' (a number from 0 to 1)"),
                problems(() -> registry.resolve(PluginKind.COST, ref("needy", Map.of()))));
        assertEquals(
                List.of("e.yaml:3:20: cost.x: unknown parameter 'x' (needy takes no parameters)"),
                problems(() -> Registry.of(List.of(new FakeCost("needy", List.of())))
                        .resolve(
                                PluginKind.COST,
                                ref("needy", Map.of("x", scalar("1", Scalar.Type.INTEGER, "cost.x"))))));
    }

    @Test
    void twoProvidersOfOneNameAreAnErrorNamingBoth() {
        var found =
                problems(() -> Registry.of(List.of(new FakeCost("same", List.of()), new FakeCost("same", List.of()))));
        assertEquals(1, found.size());
        assertTrue(
                found.get(0)
                        .matches(
                                "built-in: two cost providers are named 'same': .*FakeCost in .* and .*FakeCost in .*; remove one"),
                found.get(0));
    }

    @Test
    void whatAPluginThrowsBecomesAProblemAtTheReference() {
        var registry = Registry.of(List.of(new FakeCost("picky", List.of(ParamSpec.bool("fail", true, "fail")))));
        assertEquals(
                List.of("e.yaml:3:7: cost: cost 'picky': does not fit"),
                problems(() -> registry.resolve(PluginKind.COST, ref("picky", Map.of()))
                        .create()));
    }

    @Test
    void builtInsOfEveryKindAreListedOnlyOnce() {
        var registry = Registry.builtIn();
        for (PluginKind<?> kind : PluginKind.ALL) {
            var names =
                    registry.providers(kind).stream().map(PluginProvider::name).toList();
            assertEquals(names.stream().distinct().count(), names.size(), kind + ": " + names);
        }
    }

    @Test
    void jarsThatAreMissingOrNotJarsAreProblems(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        var where = new Where("e.yaml", 9, 3, "plugins[0]");
        assertEquals(
                List.of("e.yaml:9:3: plugins[0]: no such plugin jar or directory: " + dir.resolve("gone.jar")),
                problems(() -> Registry.of(List.of())
                        .withPlugins(List.of(new PluginLocation(dir.resolve("gone.jar"), where)))));
        assertEquals(
                List.of("e.yaml:9:3: plugins[0]: not a jar file: " + text),
                problems(() -> Registry.of(List.of()).withPlugins(List.of(new PluginLocation(text, where)))));
    }

    @Test
    void providerNamesMustBeKebabCase() {
        var registry = Registry.of(List.of(new FakeCost("Bad_Name", List.of())));
        assertEquals(List.of(), registry.providers(PluginKind.COST));
        assertTrue(
                registry.warnings().get(0).contains("'Bad_Name' is not kebab-case"),
                registry.warnings().toString());
    }

    @Test
    void pluginIdsDropTheVersion() {
        assertEquals("runner-plugin-example", Registry.id(Path.of("runner-plugin-example-0.1.0-SNAPSHOT.jar")));
        assertEquals("swish", Registry.id(Path.of("/x/swish.jar")));
    }
}
