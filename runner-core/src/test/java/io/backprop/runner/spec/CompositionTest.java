package io.backprop.runner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.spec.Experiment.Holdout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** extends:, path keys, null, ${...} and --config stacking, and where each mistake is reported. */
class CompositionTest {
    private static final String BASE = """
            seed: 3
            data: {train: xor}
            model:
              layers:
                - {units: 4, activation: tanh}
                - {units: 1, activation: sigmoid}
              initializer: {name: normal, std: 0.5}
              bias_initializer: {name: constant, value: 0.1}
            cost: quadratic
            training:
              optimizer: {name: sgd, learning_rate: 0.5}
              batch_size: 4
              l2: 0.01
              max_epochs: 10
              stopping: [{name: target-loss, below: 0.01}]
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private Experiment read(String name, String... overrides) {
        return read(name, Map.of(), overrides);
    }

    private Experiment read(String name, Map<String, String> env, String... overrides) {
        return ExperimentReader.read(
                List.of(dir.resolve(name)), List.of(name), List.of(overrides), Schema.PluginParameters.NONE, env::get);
    }

    private List<String> problems(String name, String... overrides) {
        var e = assertThrows(SpecException.class, () -> read(name, overrides));
        return e.problems().stream().map(Problem::format).toList();
    }

    @Test
    void mapsMergeKeyByKeyWhileListsAndValuesReplace() throws IOException {
        write("base.yaml", BASE);
        write("child.yaml", """
                extends: base.yaml
                model:
                  layers: [{units: 8, activation: relu}, {units: 1, activation: sigmoid}, {units: 1, activation: sigmoid}]
                training:
                  optimizer: {learning_rate: 0.1}
                  max_epochs: 20
                """);
        Experiment e = read("child.yaml");
        assertEquals(3, e.seed(), "a key the child leaves out is inherited");
        assertEquals(
                List.of(8, 1, 1),
                e.model().layers().stream().map(Experiment.LayerSpec::units).toList(),
                "a list is replaced whole");
        assertEquals("relu", e.model().layers().get(0).activation().name());
        assertEquals("normal", e.model().initializer().name(), "a sibling of a changed key is kept");
        assertEquals("sgd", e.training().optimizer().name(), "mappings merge recursively");
        assertEquals(
                "0.1", e.training().optimizer().params().get("learning_rate").text());
        assertEquals(20, e.training().maxEpochs());
        assertEquals(4, e.training().batchSize());
        assertEquals("child", e.name(), "the default name is the file's own");
        assertEquals(List.of("base.yaml", "child.yaml"), e.files());
    }

    @Test
    void aPathKeyEditsOneItemOfAnInheritedList() throws IOException {
        write("base.yaml", BASE);
        write("child.yaml", """
                extends: base.yaml
                model.layers[0].units: 16
                training:
                  optimizer.learning_rate: 0.2
                """);
        Experiment e = read("child.yaml");
        assertEquals(
                List.of(16, 1),
                e.model().layers().stream().map(Experiment.LayerSpec::units).toList());
        assertEquals("tanh", e.model().layers().get(0).activation().name(), "the rest of the item is kept");
        assertEquals(
                "0.2", e.training().optimizer().params().get("learning_rate").text());
        write("beyond.yaml", "extends: base.yaml\nmodel.layers[2].units: 16\n");
        assertEquals(
                List.of("beyond.yaml:2:1: model.layers[2]: there are 2 items (indexes 0 to 1)"),
                problems("beyond.yaml"));
    }

    @Test
    void nullLeavesOutAnOptionalKeyButNotARequiredOne() throws IOException {
        write("base.yaml", BASE.replace("data: {train: xor}", "data: {train: xor, validation: {split: 0.5}}"));
        write("child.yaml", """
                extends: base.yaml
                data: {validation: null}
                model: {bias_initializer: null}
                training:
                  l2: null
                  stopping: null
                  optimizer: {learning_rate: null}
                """);
        Experiment e = read("child.yaml");
        assertEquals(0.0, e.training().l2(), "back to the default");
        assertEquals("zeros", e.model().biasInitializer().name());
        assertEquals(List.of(), e.training().stopping());
        assertEquals(Map.of(), e.training().optimizer().params(), "a plugin's parameter goes back to its default");
        assertInstanceOf(Holdout.None.class, e.data().validation(), "null is a value of its own for validation: none");
        write("required.yaml", "extends: base.yaml\ntraining: {max_epochs: null}\n");
        assertEquals(
                List.of("required.yaml:2:24: training.max_epochs: expected an integer >= 1, got null"),
                problems("required.yaml"));
    }

    @Test
    void chainsAndDiamondsMergeInOrderAndEachMistakeIsReportedInItsFile() throws IOException {
        write("base.yaml", BASE);
        write("left.yaml", "extends: base.yaml\ntraining: {batch_size: 2, l2: 0.02}\n");
        write("right.yaml", "extends: base.yaml\ntraining: {l2: 0.03}\n");
        write("top.yaml", "extends: [left.yaml, right.yaml]\nseed: 9\n");
        Experiment e = read("top.yaml");
        assertEquals(
                2, e.training().batchSize(), "left's value, which right leaves alone, survives right's copy of base");
        assertEquals(4, read("right.yaml").training().batchSize());
        assertEquals(0.03, e.training().l2(), "later bases on top of earlier ones");
        assertEquals(9, e.seed());
        assertEquals(List.of("base.yaml", "left.yaml", "right.yaml", "top.yaml"), e.files(), "each file once");

        write("bad-base.yaml", BASE.replace("l2: 0.01", "l2: -1").replace("batch_size: 4", "bach_size: 4"));
        write("bad.yaml", "extends: bad-base.yaml\nname: bad\n");
        assertEquals(
                List.of(
                        "bad.yaml -> bad-base.yaml:12:3: training.bach_size: unknown key 'bach_size'; did you mean 'batch_size'? (known:"
                                + " batch_size, checkpoint_every, clip_norm, l2, max_epochs, optimizer, precision, schedule, shuffle, stopping, threads)",
                        "bad.yaml -> bad-base.yaml:13:7: training.l2: expected a number >= 0, got -1"),
                problems("bad.yaml"));
    }

    @Test
    void didYouMeanLooksAcrossFiles() throws IOException {
        write("base.yaml", BASE);
        write("child.yaml", "extends: base.yaml\ntraining: {lr: 0.1}\n");
        var e = assertThrows(
                SpecException.class,
                () -> ExperimentReader.read(
                        List.of(dir.resolve("child.yaml")),
                        List.of("child.yaml"),
                        List.of(),
                        (kind, name) -> kind.equals("optimizer") ? List.of("learning_rate") : List.of(),
                        k -> null));
        String message = e.problems().get(0).format();
        assertTrue(
                message.startsWith(
                        "child.yaml:2:12: training.lr: unknown key 'lr'; did you mean 'training.optimizer.learning_rate'?"),
                message);
    }

    @Test
    void aCycleIsNamedWithItsFiles() throws IOException {
        write("base.yaml", BASE);
        write("a.yaml", "extends: b.yaml\n");
        write("b.yaml", "extends: [base.yaml, a.yaml]\n");
        assertEquals(
                List.of(
                        "a.yaml -> b.yaml:1:22: extends: a cycle: a.yaml -> b.yaml -> a.yaml; a file cannot extend itself,"
                                + " directly or through others"),
                problems("a.yaml"));
        write("self.yaml", "extends: self.yaml\n");
        assertEquals(
                List.of(
                        "self.yaml:1:10: extends: a cycle: self.yaml -> self.yaml; a file cannot extend itself, directly or"
                                + " through others"),
                problems("self.yaml"));
    }

    @Test
    void aMissingOrMalformedBaseIsReportedAtTheExtendsThatNamesIt() throws IOException {
        write("base.yaml", BASE);
        write("typo.yaml", "extends: [bse.yaml]\n");
        assertEquals(
                List.of("typo.yaml:1:11: extends: cannot read bse.yaml: no such file; did you mean 'base.yaml'?"),
                problems("typo.yaml"));
        write("number.yaml", "extends: 3\n");
        assertEquals(
                List.of(
                        "number.yaml:1:10: extends: expected the path of a file to extend, or a list of them, such as extends:"
                                + " base.yaml"),
                problems("number.yaml"));
        write("sub/broken.yaml", "training: {l2: [}\n");
        write("uses.yaml", "extends: sub/broken.yaml\n");
        String message = problems("uses.yaml").get(0);
        assertTrue(message.startsWith("uses.yaml -> sub/broken.yaml:1:"), message);
    }

    @Test
    void aWholeValueKeepsItsTypeAndAStringTakesTheText() throws IOException {
        write("base.yaml", BASE);
        write("child.yaml", """
                extends: base.yaml
                name: units-${model.layers[0].units}-l2-${training.l2}
                model.layers[0].units: ${training.batch_size}
                training:
                  optimizer: ${model.initializer}
                  l2: \\${not interpolated}
                """);
        var e = assertThrows(SpecException.class, () -> read("child.yaml"));
        assertEquals(
                List.of("child.yaml:6:7: training.l2: expected a number >= 0, got '${not interpolated}'"),
                e.problems().stream()
                        .filter(p -> !p.where().path().equals("name"))
                        .map(Problem::format)
                        .toList(),
                "\\${ is the characters themselves");
        write("child.yaml", Files.readString(dir.resolve("child.yaml")).replace("  l2: \\${not interpolated}\n", ""));
        Experiment ok = read("child.yaml", "training.batch_size=8");
        assertEquals(8, ok.model().layers().get(0).units(), "an integer, and the value after --set");
        assertEquals("normal", ok.training().optimizer().name(), "a mapping is copied whole");
        assertEquals("units-8-l2-0.01", ok.name());
    }

    @Test
    void environmentVariablesAreYamlScalarsWithDefaults() throws IOException {
        write("base.yaml", BASE);
        write("env.yaml", """
                extends: base.yaml
                seed: ${env:SEED}
                model.layers[0].units: ${env:UNITS, 9}
                training:
                  l2: ${env:L2,0.5}
                """);
        Experiment e = read("env.yaml", Map.of("SEED", "77", "L2", "1e-3"));
        assertEquals(77, e.seed());
        assertEquals(9, e.model().layers().get(0).units(), "the default, read as YAML: an integer");
        assertEquals(0.001, e.training().l2());
        var missing = assertThrows(SpecException.class, () -> read("env.yaml", Map.of()));
        assertEquals(
                List.of(
                        "env.yaml:2:7: seed: environment variable SEED is not set; set it, or give a default: ${env:SEED,default}"),
                missing.problems().stream().map(Problem::format).toList());
        var quoted = assertThrows(SpecException.class, () -> read("env.yaml", Map.of("SEED", "'7'")));
        assertTrue(quoted.getMessage().contains("env.yaml:2:7: seed:"), quoted.getMessage());
    }

    @Test
    void unknownPathsAndCyclesAreReportedWhereTheyAreWritten() throws IOException {
        write("base.yaml", BASE + "\n");
        write("refs.yaml", """
                extends: base.yaml
                seed: ${training.bach_size}
                training:
                  max_epochs: ${training.batch_size}
                  batch_size: ${model.layers[0].units}
                model.layers[0].units: ${training.max_epochs}
                """);
        assertEquals(
                List.of(
                        "refs.yaml:2:7: seed: ${training.bach_size}: no value at 'training.bach_size' in the experiment (a default is"
                                + " not a value to refer to); did you mean 'training.batch_size'?",
                        "refs.yaml:6:24: model.layers[0].units: a cycle of references: model.layers[0].units -> training.max_epochs ->"
                                + " training.batch_size -> model.layers[0].units; a value cannot refer to itself, directly or through others"),
                problems("refs.yaml"));
    }

    @Test
    void stackedFilesEqualTheSameFilesExtended() throws IOException {
        write("base.yaml", BASE);
        write("fast.yaml", "training: {max_epochs: 2}\nmodel.layers[0].units: 3\n");
        write("fast-extended.yaml", "extends: base.yaml\ntraining: {max_epochs: 2}\nmodel.layers[0].units: 3\n");
        Experiment stacked = ExperimentReader.read(
                List.of(dir.resolve("base.yaml"), dir.resolve("fast.yaml")),
                List.of("base.yaml", "fast.yaml"),
                List.of(),
                Schema.PluginParameters.NONE,
                k -> null);
        Experiment extended = read("fast-extended.yaml");
        assertEquals(describe(extended), describe(stacked));
        assertEquals(2, stacked.training().maxEpochs());
        assertEquals(List.of("base.yaml", "fast.yaml"), stacked.files());
    }

    /** The experiment's values, without the places they were written. */
    private static String describe(Experiment e) {
        return e.seed() + " "
                + e.model().layers().stream()
                        .map(l -> l.units() + l.activation().name())
                        .toList() + " "
                + e.model().initializer().name()
                + e.model().initializer().params().values().stream()
                        .map(Scalar::text)
                        .toList() + " "
                + e.training().optimizer().params().values().stream()
                        .map(Scalar::text)
                        .toList() + " " + e.training().batchSize()
                + " " + e.training().l2() + " " + e.training().maxEpochs() + " "
                + e.training().stopping().size();
    }

    @Test
    void aSweepIsCheckedAtItsOwnPlaceAndMayExtendAndInterpolate() throws IOException {
        write("base.yaml", BASE);
        write("study.yaml", """
                extends: base.yaml
                sweep:
                  grid:
                    training.batch_size: [2, "${model.layers[0].units}"]
                """);
        var plan = SweepPlan.read(dir.resolve("study.yaml"), "study.yaml");
        assertEquals(2, plan.size());
        Experiment second = ExperimentReader.read(
                dir.resolve("study.yaml"), "study.yaml", plan.trial(1).overrides());
        assertEquals(4, second.training().batchSize(), "the swept value resolves in the trial");
        write("bad-study.yaml", """
                extends: base.yaml
                sweep:
                  grid:
                    training.batch_size: [2, zero]
                    model.layers[4].units: [3]
                """);
        var e = assertThrows(
                SpecException.class, () -> SweepPlan.read(dir.resolve("bad-study.yaml"), "bad-study.yaml"));
        assertEquals(
                List.of(
                        "bad-study.yaml:5:5: model.layers[4]: there are 2 items (indexes 0 to 1)",
                        "bad-study.yaml:4:30: training.batch_size: expected an integer from 1 to 1048576, got 'zero'"),
                e.problems().stream().map(Problem::format).toList());
    }

    @Test
    void aBaseIsAFileBesideThatIsExtendedAndLacksOnlyKeys() throws IOException {
        write("part.yaml", "seed: 4\ndata: {train: xor}\n");
        write("whole.yaml", BASE);
        write("uses.yaml", "extends: [part.yaml, whole.yaml]\n");
        assertTrue(Bases.isBase(dir.resolve("part.yaml")));
        assertEquals(List.of(dir.resolve("uses.yaml")), Bases.extendedBy(dir.resolve("part.yaml")));
        assertTrue(!Bases.isBase(dir.resolve("whole.yaml")), "a complete file that is extended is still an experiment");
        assertTrue(!Bases.isBase(dir.resolve("uses.yaml")));
        write("alone.yaml", "seed: 4\n");
        assertTrue(
                !Bases.isBase(dir.resolve("alone.yaml")),
                "an incomplete file nothing extends is a mistake, not a base");
    }
}
