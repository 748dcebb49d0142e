package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.backprop.runner.evaluation.ClassificationMetrics;
import io.backprop.runner.evaluation.RegressionMetrics;
import io.backprop.runner.run.RunSummary.Measure;
import io.backprop.runner.run.RunSummary.Split;
import io.backprop.runner.run.RunSummary.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSummaryTest {
    private static RunSummary classification() {
        double[] outputs = {0.9, 0.05, 0.05, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.6, 0.3, 0.1};
        double[] targets = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0};
        var figures = RunSummary.tree(ClassificationMetrics.of(outputs, targets, 4, 3, List.of("a", "b", "c"))
                .toMap());
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("runner", "1.2.3");
        provenance.put("started", "2026-01-01T10:00:00Z");
        provenance.put("threads", 2);
        provenance.put("data", List.of(Map.of("key", "data.train", "bytes", 4_000_000_000L, "rows", 4)));
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("a", 2.0);
        weights.put("b", 1.0);
        weights.put("c", 0.5);
        return new RunSummary(
                "iris",
                "20260101-100000-abcdef",
                Status.STOPPED,
                "validation_loss has not improved",
                "early-stopping",
                40,
                30,
                30,
                1L << 40,
                new Split(0.25, Measure.ACCURACY, 0.75, figures),
                new Split(0.5, Measure.ACCURACY, 0.5, figures),
                null,
                weights,
                false,
                Map.of("train", Map.of("island", 0), "test", Map.of("island", 2)),
                1.5,
                1.25,
                1.0,
                0.8,
                160L,
                160.0,
                RunSummary.tree(provenance));
    }

    @Test
    void aSummaryReadBackEqualsTheOneWritten(@TempDir Path dir) throws Exception {
        var written = classification();
        Path file = dir.resolve("summary.json");
        written.write(file);
        assertEquals(written, RunSummary.read(file));

        var regression = new RunSummary(
                "sine",
                "r",
                Status.COMPLETED,
                "max_epochs 3 reached",
                null,
                3,
                3,
                3,
                2L,
                new Split(
                        0.125,
                        Measure.RMSE,
                        0.5,
                        RunSummary.tree(RegressionMetrics.of(new double[] {1, 2}, new double[] {1.5, 2}, 2, 1)
                                .toMap())),
                null,
                new Split(0.25, Measure.RMSE, 0.7, null),
                null,
                null,
                null,
                0.5,
                0.25,
                0.125,
                1.0,
                6L,
                48.0,
                null);
        regression.write(file);
        assertEquals(regression, RunSummary.read(file));
    }

    @Test
    void theFileHasTheKeysInTheirOrderWithNullsWrittenAndNonFiniteNumbersAsNull(@TempDir Path dir) throws Exception {
        var diverged = new RunSummary(
                "sine",
                "r",
                Status.DIVERGED,
                "the loss became NaN at epoch 1",
                null,
                1,
                0,
                1,
                2L,
                new Split(Double.NaN, Measure.RMSE, Double.POSITIVE_INFINITY, null),
                null,
                null,
                null,
                null,
                null,
                0.5,
                null,
                null,
                null,
                0L,
                null,
                null);
        Path file = dir.resolve("summary.json");
        diverged.write(file);
        assertEquals("""
                {
                  "experiment" : "sine",
                  "run" : "r",
                  "status" : "diverged",
                  "stop_reason" : "the loss became NaN at epoch 1",
                  "stopped_by" : null,
                  "epochs" : 1,
                  "best_epoch" : 0,
                  "kept_epoch" : 1,
                  "seed" : 2,
                  "train" : {
                    "loss" : null,
                    "rmse" : null
                  },
                  "validation" : null,
                  "test" : null,
                  "wall_seconds" : 0.5,
                  "training_seconds" : null,
                  "training_loop_seconds" : null,
                  "parallel_share" : null,
                  "examples" : 0,
                  "examples_per_second" : null,
                  "provenance" : null
                }""", Files.readString(file));
        var read = RunSummary.read(file);
        assertEquals(Measure.RMSE, read.train().measure(), "a split whose figures are null keeps its measure");
        assertNull(read.train().rmse());
    }

    @Test
    void classWeightsAndUnknownCategoriesComeBetweenTheSplitsAndTheTimings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        classification().write(file);
        List<String> keys = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(file.toFile())
                .fieldNames()
                .forEachRemaining(keys::add);
        assertEquals(
                List.of(
                        "experiment",
                        "run",
                        "status",
                        "stop_reason",
                        "stopped_by",
                        "epochs",
                        "best_epoch",
                        "kept_epoch",
                        "seed",
                        "train",
                        "validation",
                        "test",
                        "class_weights",
                        "metrics_weighted",
                        "unknown_categories",
                        "wall_seconds",
                        "training_seconds",
                        "training_loop_seconds",
                        "parallel_share",
                        "examples",
                        "examples_per_second",
                        "provenance"),
                keys);
    }

    @Test
    void keysOfANewerVersionAreIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        classification().write(file);
        String text = Files.readString(file);
        Files.writeString(
                file,
                text.replaceFirst("\\{", "{\n  \"energy\" : {\"joules\": 12},")
                        .replace("\"loss\" :", "\"loss_std\" : 0.1, \"loss\" :"));
        var read = RunSummary.read(file);
        assertEquals(classification().status(), read.status());
        assertEquals(classification().provenance(), read.provenance());
        assertEquals(0.25, read.train().loss());
        assertTrue(
                read.train().metrics().has("loss_std"), "a split's other figures are kept as they are, new ones too");
        assertEquals(
                classification().train().metrics().get("confusion_matrix"),
                read.train().metrics().get("confusion_matrix"));
    }

    @Test
    void aPartialOrOddSummaryReadsAsNullsAndOnlyAFileThatIsNoJsonObjectThrows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        Files.writeString(
                file,
                "{\"status\": \"exploded\", \"epochs\": \"many\", \"seed\": 1.5, \"train\": {\"loss\": 1},"
                        + " \"test\": [1], \"provenance\": 3, \"class_weights\": {\"a\": \"x\", \"b\": 2}}");
        var odd = RunSummary.read(file);
        assertNull(odd.status(), "a status this version does not know");
        assertNull(odd.epochs());
        assertNull(odd.seed());
        assertNull(odd.train(), "a split with neither accuracy nor rmse");
        assertNull(odd.test());
        assertNull(odd.provenance());
        assertNull(odd.experiment());
        assertEquals(Map.of("b", 2.0), odd.classWeights());

        Files.writeString(file, "{\"experiment\": \"iris\", \"status\": \"comp");
        assertThrows(JsonProcessingException.class, () -> RunSummary.read(file));
        Files.writeString(file, "[1, 2]");
        assertThrows(RunSummary.NotAnObject.class, () -> RunSummary.read(file));
        Files.writeString(file, "");
        assertThrows(RunSummary.NotAnObject.class, () -> RunSummary.read(file));
    }

    @Test
    void onlyCompletedStoppedAndDivergedRunsFinished() {
        assertTrue(Status.parse("completed").finished());
        assertTrue(Status.parse("stopped").finished());
        assertTrue(Status.parse("diverged").finished());
        assertFalse(Status.parse("failed").finished());
        assertFalse(Status.parse("interrupted").finished());
        assertEquals(Status.INTERRUPTED, Status.of(io.backprop.runner.engine.Outcome.Status.INTERRUPTED));
    }
}
