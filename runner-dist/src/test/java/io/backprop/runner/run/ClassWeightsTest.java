package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.engine.StopRequest;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.ExperimentReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class weights weight training's cost alone: the run records them, reports unweighted losses, and a checkpointed
 * run resumed ends with the bits of one never interrupted.
 */
class ClassWeightsTest {
    private static final Path PENGUINS =
            Path.of("../experiments/data/penguins/penguins.csv").toAbsolutePath();
    private static final String EXPERIMENT = """
            name: weighted
            seed: 5
            data: {train: {name: csv, path: PATH, label: species}, validation: {split: 0.2}, test: {split: 0.2}}
            model: {layers: [{units: 6, activation: tanh}, {units: 3, activation: softmax}], initializer: xavier-normal}
            cost: {name: cross-entropy, class_weights: WEIGHTS}
            training: {optimizer: {name: adam, learning_rate: 0.01}, batch_size: 16, max_epochs: 6, checkpoint_every: 2}
            """;
    private static final PrintStream NOWHERE = new PrintStream(java.io.OutputStream.nullOutputStream());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path file(Path dir, String weights) throws Exception {
        return Files.writeString(
                dir.resolve("weighted.yaml"),
                EXPERIMENT.replace("PATH", PENGUINS.toString()).replace("WEIGHTS", weights));
    }

    private static Setup setup(Path file) {
        var experiment = ExperimentReader.read(file, file.toString(), List.of());
        return Setup.of(experiment, Registry.builtIn().withPlugins(experiment.plugins()));
    }

    private static JsonNode json(Path file) throws Exception {
        return JSON.readTree(file.toFile());
    }

    @Test
    void balancedWeightsAreCountedOnTheTrainingSplitAndRecordedWhileEveryFigureStaysUnweighted(@TempDir Path dir)
            throws Exception {
        Path file = file(dir, "balanced");
        Setup setup = setup(file);
        var train = setup.train();
        long[] counts = new long[3];
        for (int r = 0; r < train.rows(); r++) counts[train.label(r)]++;
        Path run = ExperimentRun.execute(setup, dir.resolve("runs"), NOWHERE, NOWHERE, Progress.Mode.QUIET);

        JsonNode summary = json(run.resolve("summary.json"));
        JsonNode weights = summary.get("class_weights");
        assertEquals(List.of("Adelie", "Chinstrap", "Gentoo"), train.classes());
        for (int c = 0; c < 3; c++) {
            assertEquals(
                    train.rows() / (3.0 * counts[c]),
                    weights.get(train.classes().get(c)).doubleValue(),
                    0.0,
                    train.classes().get(c));
        }
        assertTrue(weights.get("Chinstrap").doubleValue() > 1.3, "the smallest class weighs most: " + weights);
        assertFalse(summary.get("metrics_weighted").booleanValue());
        assertEquals(weights, json(run.resolve("model.json")).get("cost").get("class_weights"));
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("class_weights: balanced"));
        for (String split : List.of("train", "validation", "test")) {
            // Cross-entropy's loss is the log loss; weighted, it would not be.
            assertEquals(
                    summary.get(split).get("log_loss").doubleValue(),
                    summary.get(split).get("loss").doubleValue(),
                    1e-12,
                    split);
        }
        String lastEpoch = Files.readAllLines(run.resolve("metrics.jsonl")).get(5);
        assertEquals(
                summary.get("train").get("loss").doubleValue(),
                JSON.readTree(lastEpoch).get("train_loss").doubleValue(),
                0.0);

        Path plain = ExperimentRun.execute(
                setup(file(dir, "{Adelie: 1}")), dir.resolve("plain"), NOWHERE, NOWHERE, Progress.Mode.QUIET);
        assertNotEquals(
                json(plain.resolve("model.json")).get("layers"),
                json(run.resolve("model.json")).get("layers"),
                "the weights change what is learned");
    }

    @Test
    void aMapNamesSomeClassesAndTheOthersWeighOne(@TempDir Path dir) throws Exception {
        Path run = ExperimentRun.execute(
                setup(file(dir, "{Chinstrap: 2.5}")), dir.resolve("runs"), NOWHERE, NOWHERE, Progress.Mode.QUIET);
        assertEquals(
                JSON.readTree("{\"Adelie\": 1.0, \"Chinstrap\": 2.5, \"Gentoo\": 1.0}"),
                json(run.resolve("summary.json")).get("class_weights"));
        assertTrue(
                Files.readString(run.resolve("config.yaml")).contains("class_weights: {Chinstrap: 2.5}"),
                Files.readString(run.resolve("config.yaml")));
    }

    @Test
    void aRunWithoutClassWeightsRecordsNone(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("plain.yaml"),
                EXPERIMENT
                        .replace("PATH", PENGUINS.toString())
                        .replace("{name: cross-entropy, class_weights: WEIGHTS}", "cross-entropy"));
        Path run = ExperimentRun.execute(setup(file), dir.resolve("runs"), NOWHERE, NOWHERE, Progress.Mode.QUIET);
        assertFalse(json(run.resolve("summary.json")).has("class_weights"));
        assertFalse(json(run.resolve("summary.json")).has("metrics_weighted"));
        assertFalse(json(run.resolve("model.json")).get("cost").has("class_weights"));
    }

    @Test
    void aWeightedRunResumedFromItsCheckpointEndsWithTheBitsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path file = file(dir, "balanced");
        Path whole = ExperimentRun.execute(setup(file), dir.resolve("whole"), NOWHERE, NOWHERE, Progress.Mode.QUIET);
        var stop = new StopRequest();
        stop.request("a test");
        Path run = assertThrows(
                        RunInterruptedException.class,
                        () -> ExperimentRun.execute(
                                setup(file), dir.resolve("stopped"), NOWHERE, NOWHERE, Progress.Mode.QUIET, stop))
                .directory();
        assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        ExperimentRun.resume(setup(run.resolve("config.yaml")), run, NOWHERE, NOWHERE, Progress.Mode.QUIET);
        assertEquals(Files.readString(whole.resolve("model.json")), Files.readString(run.resolve("model.json")));
        assertEquals(lossesOf(whole), lossesOf(run));
    }

    private static List<String> lossesOf(Path run) throws Exception {
        List<String> losses = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode epoch = JSON.readTree(line);
            losses.add(epoch.get("train_loss").asText() + " "
                    + epoch.get("validation_loss").asText());
        }
        return losses;
    }
}
