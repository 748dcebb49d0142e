package io.backprop.runner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.Precision;
import io.backprop.runner.spec.Experiment.Holdout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentReaderTest {
    private static final String MINIMAL = """
            data: {train: xor}
            model:
              layers: [{units: 2, activation: tanh}, {units: 1, activation: sigmoid}]
              initializer: {name: normal, std: 0.5}
            cost: quadratic
            training:
              optimizer: {name: sgd, learning_rate: 0.5}
              max_epochs: 10
            """;

    private static Experiment parse(String yaml) {
        return ExperimentReader.parse(yaml, "e.yaml", "e", Path.of("/experiments"));
    }

    private static List<String> problems(String yaml) {
        var e = assertThrows(SpecException.class, () -> parse(yaml));
        return e.problems().stream().map(Problem::format).toList();
    }

    @Test
    void defaultsFillWhatTheFileLeavesOut() {
        Experiment e = parse(MINIMAL);
        assertEquals("e", e.name());
        assertEquals(0, e.seed());
        assertInstanceOf(Holdout.SameAsTrain.class, e.data().validation());
        assertInstanceOf(Holdout.None.class, e.data().test());
        assertEquals("zeros", e.model().biasInitializer().name());
        assertEquals(32, e.training().batchSize());
        assertEquals(0.0, e.training().l2());
        assertEquals(0.0, e.training().clipNorm(), "no clipping");
        assertTrue(e.training().shuffle());
        assertEquals(List.of(), e.training().stopping());
        assertEquals("file", e.metrics().exporters().get(0).name());
        assertEquals(List.of(), e.plugins());
    }

    @Test
    void precisionIsFloat64UnlessFloat32IsAsked() {
        assertEquals(Precision.FLOAT64, parse(MINIMAL).training().precision());
        assertEquals(
                Precision.FLOAT32,
                parse(MINIMAL.replace("max_epochs: 10", "max_epochs: 10\n  precision: float32"))
                        .training()
                        .precision());
        assertEquals(
                List.of("e.yaml:9:14: training.precision: unknown precision 'float16'; did you mean 'float32' or"
                        + " 'float64'? (known: float32, float64)"),
                problems(MINIMAL.replace("max_epochs: 10", "max_epochs: 10\n  precision: float16")));
        assertEquals(
                List.of("e.yaml:9:14: training.precision: expected float64 (exact, the default) or float32 (fast), got"
                        + " a list"),
                problems(MINIMAL.replace("max_epochs: 10", "max_epochs: 10\n  precision: [float32]")));
    }

    @Test
    void clipNormIsAPositiveNumber() {
        assertEquals(
                2.5,
                parse(MINIMAL.replace("max_epochs: 10", "max_epochs: 10\n  clip_norm: 2.5"))
                        .training()
                        .clipNorm());
        assertEquals(
                List.of("e.yaml:9:14: training.clip_norm: expected a number > 0, got 0"),
                problems(MINIMAL.replace("max_epochs: 10", "max_epochs: 10\n  clip_norm: 0")));
    }

    @Test
    void pluginReferencesKeepTheirParametersAndPlaces() {
        Experiment e = parse(MINIMAL);
        PluginRef init = e.model().initializer();
        assertEquals("normal", init.name());
        assertEquals("initializer", init.kind());
        assertEquals(new Where("e.yaml", 4, 23, "model.initializer"), init.where());
        Scalar std = init.params().get("std");
        assertEquals(0.5, std.asDouble("a number"));
        assertEquals(new Where("e.yaml", 4, 36, "model.initializer.std"), std.where());
        assertEquals("sigmoid", e.model().layers().get(1).activation().name());
        assertEquals(
                "model.layers[1].activation",
                e.model().layers().get(1).activation().where().path());
    }

    @Test
    void everyValueIsBoundWithItsType() {
        Experiment e = parse(MINIMAL.replace("max_epochs: 10", """
                max_epochs: 1e3
                  batch_size: 0x10
                  l2: 1e-4
                  shuffle: false""") + "seed: 7\nname: other-name\n");
        assertEquals(1000, e.training().maxEpochs());
        assertEquals(16, e.training().batchSize());
        assertEquals(1e-4, e.training().l2());
        assertEquals(false, e.training().shuffle());
        assertEquals(7, e.seed());
        assertEquals("other-name", e.name());
    }

    @Test
    void holdoutsAreTrainASplitASourceOrNothing() {
        Experiment e = parse(MINIMAL.replace(
                "data: {train: xor}", "data: {train: xor, validation: {split: 0.25}, test: {name: xor}}"));
        assertEquals(0.25, ((Holdout.Split) e.data().validation()).fraction());
        assertEquals("xor", ((Holdout.Source) e.data().test()).ref().name());
        e = parse(MINIMAL.replace("data: {train: xor}", "data: {train: xor, validation: null}"));
        assertInstanceOf(Holdout.None.class, e.data().validation());
    }

    @Test
    void unknownKeysSuggestTheClosestAndListTheKnown() {
        assertEquals(
                List.of(
                        "e.yaml:8:3: training.max_epoch: unknown key 'max_epoch'; did you mean 'max_epochs'? "
                                + "(known: batch_size, checkpoint_every, clip_norm, l2, max_epochs, optimizer, precision, schedule, shuffle, stopping, threads)",
                        "e.yaml:7:3: training.max_epochs: missing required key 'max_epochs' (expected an integer >= 1, the hard cap on epochs)"),
                problems(MINIMAL.replace("max_epochs", "max_epoch")));
    }

    @Test
    void aLayerIsDenseUnlessItNamesAKind() {
        Experiment implicit = parse(MINIMAL);
        Experiment explicit =
                parse(MINIMAL.replace("{units: 2, activation: tanh}", "{kind: dense, units: 2, activation: tanh}"));
        assertEquals("dense", implicit.model().layers().get(0).kind());
        assertEquals("dense", explicit.model().layers().get(0).kind());
        assertEquals(2, explicit.model().layers().get(0).units());
        assertEquals("tanh", explicit.model().layers().get(0).activation().name());
        assertEquals(0.0, implicit.model().layers().get(0).dropout(), "a default is filled in");
    }

    @Test
    void anUnknownLayerKindIsNamedWithTheKnownOnes() {
        assertEquals(
                List.of("e.yaml:3:19: model.layers[0].kind: unknown layer kind 'dense2'; did you mean 'dense'? (known: "
                        + String.join(", ", new java.util.TreeSet<>(io.backprop.runner.layers.LayerKinds.names()))
                        + ")"),
                problems(
                        MINIMAL.replace("{units: 2, activation: tanh}", "{kind: dense2, units: 2, activation: tanh}")));
    }

    @Test
    void aLayerTakesTheKeysOfItsKind() {
        assertEquals(
                List.of("e.yaml:3:12: model.layers[0].units: missing required key 'units' (expected an integer >= 1)"),
                problems(MINIMAL.replace("{units: 2, activation: tanh}", "{kind: dense, activation: tanh}")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var found = problems(MINIMAL.replace("units: 2", "units: -2")
                .replace("learning_rate: 0.5}", "learning_rate: 0.5}\n  l2: [1]")
                .replace("cost: quadratic", "cost:"));
        assertEquals(
                List.of(
                        "e.yaml:3:20: model.layers[0].units: expected an integer from 1 to 1048576, got -2",
                        "e.yaml:5:6: cost: expected a cost name, got nothing",
                        "e.yaml:8:7: training.l2: expected a number >= 0, got a list"),
                found);
    }

    @Test
    void aQuotedNumberOrBooleanIsCalledAStringAndUnquoted() {
        assertEquals(
                List.of(
                        "e.yaml:8:15: training.max_epochs: expected an integer >= 1, got the string '10'; write it unquoted: 10"),
                problems(MINIMAL.replace("max_epochs: 10", "max_epochs: '10'")));
        assertEquals(
                List.of("e.yaml:8:15: training.max_epochs: expected an integer >= 1, got the string '2.5'"),
                problems(MINIMAL.replace("max_epochs: 10", "max_epochs: \"2.5\"")),
                "unquoted it would be wrong too");
        assertEquals(
                List.of(
                        "e.yaml:9:12: training.shuffle: expected true or false, got the string 'false'; write it unquoted: false"),
                problems(MINIMAL + "  shuffle: 'false'\n"));
        assertEquals(
                List.of(
                        "e.yaml:9:7: training.l2: expected a number >= 0, got the string '1e-4'; write it unquoted: 1e-4"),
                problems(MINIMAL + "  l2: '1e-4'\n"));
        assertEquals(
                List.of(
                        "--set training.l2='0.1': training.l2: expected a number >= 0, got the string '0.1'; write it unquoted: 0.1"),
                overrideProblems("training.l2='0.1'"));
    }

    @Test
    void aMissingFileSuggestsItsTwinOrNearMissesBesideIt(@TempDir Path dir) throws Exception {
        for (String name :
                List.of("iris.yaml", "xor.yaml", "xor-zero-init.yaml", "l2-on.yaml", "l2-off.yaml", "notes.txt")) {
            Files.writeString(dir.resolve(name), MINIMAL);
        }
        Files.createDirectory(dir.resolve("l2-on.yml"));
        String at = dir + java.io.File.separator;
        assertEquals(
                List.of(at + "iris.yml: no such file; did you mean '" + at + "iris.yaml'?"),
                missing(dir.resolve("iris.yml")));
        assertEquals(
                List.of(at + "iris: no such file; did you mean '" + at + "iris.yaml'?"), missing(dir.resolve("iris")));
        assertEquals(
                List.of(at + "xor.yml: no such file; did you mean '" + at + "xor.yaml'?"),
                missing(dir.resolve("xor.yml")),
                "a twin stands alone");
        assertEquals(
                List.of(at + "xro.yaml: no such file; did you mean '" + at + "xor.yaml'?"),
                missing(dir.resolve("xro.yaml")));
        assertEquals(
                List.of(at + "l2.yaml: no such file; did you mean '" + at + "l2-on.yaml' or '" + at + "l2-off.yaml'?"),
                missing(dir.resolve("l2.yaml")),
                "near misses, closest first; folders and other files are no experiments");
        assertEquals(List.of(at + "notes.yaml: no such file"), missing(dir.resolve("notes.yaml")));
        Path folder = Files.createDirectory(dir.resolve("experiments"));
        Files.writeString(folder.resolve("iris.yaml"), MINIMAL);
        assertEquals(
                List.of(at + "experimets/iris.yml: no such file; did you mean '" + folder.resolve("iris.yaml") + "'?"),
                missing(dir.resolve("experimets/iris.yml")),
                "in a folder of a near name");
        assertEquals(
                List.of(at + "nowhere/iris.yml: no such file; there is no directory " + at + "nowhere either"),
                missing(dir.resolve("nowhere/iris.yml")));
    }

    private static List<String> missing(Path file) {
        var e = assertThrows(SpecException.class, () -> ExperimentReader.read(file, file.toString()));
        return e.problems().stream().map(Problem::format).toList();
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndFound() {
        assertEquals(
                List.of("e.yaml:8:15: training.max_epochs: expected an integer >= 1, got 'ten'"),
                problems(MINIMAL.replace("max_epochs: 10", "max_epochs: ten")));
        assertEquals(
                List.of("e.yaml:8:15: training.max_epochs: expected an integer >= 1, got 2.5"),
                problems(MINIMAL.replace("max_epochs: 10", "max_epochs: 2.5")));
        assertEquals(
                List.of("e.yaml:3:11: model.layers: expected a list of layers, got a mapping"),
                problems(MINIMAL.replace(
                        "layers: [{units: 2, activation: tanh}, {units: 1, activation: sigmoid}]",
                        "layers: {units: 2}")));
        assertEquals(
                List.of("e.yaml:1:40: data.validation.split: expected a fraction between 0 and 1, such as 0.2, got 1"),
                problems(MINIMAL.replace("data: {train: xor}", "data: {train: xor, validation: {split: 1}}")));
    }

    @Test
    void duplicateKeysNameBothLines() {
        assertEquals(
                List.of("e.yaml:9:1: cost: duplicate key 'cost' (first at line 5)"),
                problems(MINIMAL + "cost: quadratic\n"));
    }

    @Test
    void malformedYamlPointsAtTheSpot() {
        assertEquals(
                List.of(
                        "e.yaml:2:6: invalid YAML: while parsing a flow mapping, expected ',' or '}', but got : (it began at line 1, column 7)"),
                problems(MINIMAL.replace("data: {train: xor}", "data: {train: xor"))
                        .subList(0, 1));
        assertEquals(
                List.of("e.yaml:3:1: invalid YAML: a tab character where YAML expects spaces; indent with spaces only"),
                problems(MINIMAL.replace("\n  layers", "\n\tlayers")));
    }

    @Test
    void emptyFilesAndTopLevelListsAreRefused() {
        assertEquals(
                List.of("e.yaml: the file is empty; an experiment is a mapping with data, model, cost and training"),
                problems(""));
        assertEquals(
                List.of("e.yaml: the file is empty; an experiment is a mapping with data, model, cost and training"),
                problems("# only a comment\n"));
        assertEquals(List.of("e.yaml:1:1: expected an experiment mapping, got a list"), problems("- a\n- b\n"));
    }

    @Test
    void typeTagsAreNeverResolved() {
        assertEquals(
                List.of("e.yaml:1:7: YAML tag '!!java.lang.ProcessBuilder' is not allowed; write a plain value"),
                problems("seed: !!java.lang.ProcessBuilder [ls]\n" + MINIMAL));
        assertEquals(
                List.of("e.yaml:1:7: seed: YAML tag '!local' is not allowed; write a plain value"),
                problems("seed: !local 3\n" + MINIMAL));
    }

    @Test
    void aliasBombsStopAtTheLimit() {
        String bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
        var found = problems(bomb);
        assertEquals(1, found.size());
        assertTrue(
                found.get(0).startsWith("e.yaml: invalid YAML: Number of aliases for non-scalar nodes exceeds"),
                found.get(0));
    }

    @Test
    void notANumberIsNotANumber() {
        assertEquals(
                List.of("e.yaml:9:7: training.l2: expected a number >= 0, got .nan"),
                problems(MINIMAL.replace("max_epochs: 10", "max_epochs: 10\n  l2: .nan")));
    }

    @Test
    void missingAndUnreadableFilesAreProblemsToo(@TempDir Path dir) throws Exception {
        var e = assertThrows(SpecException.class, () -> ExperimentReader.read(dir.resolve("none.yaml"), "none.yaml"));
        assertEquals("none.yaml: no such file", e.getMessage());
        e = assertThrows(SpecException.class, () -> ExperimentReader.read(dir, "dir"));
        assertEquals("dir: is a directory; expected an experiment .yaml file", e.getMessage());
        Path binary = Files.write(dir.resolve("b.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        e = assertThrows(SpecException.class, () -> ExperimentReader.read(binary, "b.yaml"));
        assertEquals("b.yaml: not UTF-8 text; an experiment is a YAML file", e.getMessage());
    }

    @Test
    void pluginPathsResolveAgainstTheExperimentsDirectory() {
        Experiment e = parse(MINIMAL + "plugins: [lib/extra.jar]\n");
        assertEquals(Path.of("/experiments/lib/extra.jar"), e.plugins().get(0).path());
    }

    private static Experiment parse(String yaml, String... overrides) {
        return ExperimentReader.parse(yaml, "e.yaml", "e", Path.of("/experiments"), List.of(overrides));
    }

    private static List<String> overrideProblems(String... overrides) {
        var e = assertThrows(SpecException.class, () -> parse(MINIMAL, overrides));
        return e.problems().stream().map(Problem::format).toList();
    }

    @Test
    void overridesSetValuesAsIfWrittenInTheFile() {
        Experiment e = parse(
                MINIMAL.replace("{name: sgd, learning_rate: 0.5}", "sgd"),
                "training.l2=1e-4",
                "model.layers[0].units=8",
                "model.initializer.std=0.1",
                "training.optimizer.learning_rate=0.3",
                "training.batch_size=2",
                "seed=9",
                "model.layers[1].activation={name: softmax}");
        assertEquals(1e-4, e.training().l2());
        assertEquals(8, e.model().layers().get(0).units());
        assertEquals(0.1, e.model().initializer().params().get("std").asDouble("a number"));
        assertEquals("sgd", e.training().optimizer().name());
        assertEquals(0.3, e.training().optimizer().params().get("learning_rate").asDouble("a number"));
        assertEquals(2, e.training().batchSize());
        assertEquals(9, e.seed());
        assertEquals("softmax", e.model().layers().get(1).activation().name());
        assertEquals(
                new Where("--set model.layers[1].activation={name: softmax}", 0, 0, "model.layers[1].activation"),
                e.model().layers().get(1).activation().where());
    }

    @Test
    void overrideMistakesNameTheFlag() {
        assertEquals(
                List.of("--set model.layers[5].units=3: model.layers[5]: there are 2 items (indexes 0 to 1)"),
                overrideProblems("model.layers[5].units=3"));
        assertEquals(
                List.of(
                        "--set training.bach_size=2: training.bach_size: unknown key 'bach_size'; did you mean 'batch_size'? "
                                + "(known: batch_size, checkpoint_every, clip_norm, l2, max_epochs, optimizer, precision, schedule, shuffle, stopping, threads)"),
                overrideProblems("training.bach_size=2"));
        assertEquals(
                List.of("--set training.l2=abc: training.l2: expected a number >= 0, got 'abc'"),
                overrideProblems("training.l2=abc"));
        assertEquals(List.of("--set l2: expected key.path=value, such as training.l2=1e-4"), overrideProblems("l2"));
        assertEquals(
                List.of(
                        "--set Training.l2=1: Training.l2: 'Training' is not a key; keys are snake_case, items [0], [1], ..."),
                overrideProblems("Training.l2=1"));
    }
}
