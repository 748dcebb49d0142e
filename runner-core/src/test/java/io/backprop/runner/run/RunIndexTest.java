package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunIndexTest {
    private static Path run(Path parent, String name, String config, String summary) throws Exception {
        Path run = Files.createDirectories(parent.resolve(name));
        if (config != null) Files.writeString(run.resolve("config.yaml"), config);
        if (summary != null) Files.writeString(run.resolve("summary.json"), summary);
        return run;
    }

    private static List<RunIndex.Entry> scan(Path root) throws Exception {
        return RunIndex.scan(root).stream()
                .sorted(Comparator.comparing(RunIndex.Entry::run))
                .toList();
    }

    @Test
    void aFinishedRunIsReadFromItsSummaryAndConfig(@TempDir Path runs) throws Exception {
        run(
                runs.resolve("iris"),
                "20260101-000000-aaaaaa",
                "name: iris\nseed: 3\ntraining:\n  optimizer: {name: sgd, learning_rate: 0.5}\n  stopping: []\nmodel:\n  layers:\n  - {units: 8}\n",
                "{\"experiment\": \"iris\", \"status\": \"stopped\", \"epochs\": 251, \"test\": {\"loss\": 0.0662, \"accuracy\": 0.9666666666666667},"
                        + " \"provenance\": {\"started\": \"2026-01-01T10:00:00Z\", \"threads\": 2}}");
        var entries = scan(runs);
        assertEquals(1, entries.size());
        var e = entries.get(0);
        assertEquals("iris", e.experiment());
        assertEquals("20260101-000000-aaaaaa", e.run());
        assertEquals("stopped", e.status());
        assertNull(e.note());
        assertEquals(251, e.epochs());
        assertEquals(
                Instant.parse("2026-01-01T10:00:00Z"), e.started(), "provenance's start, not the directory's stamp");
        assertEquals(0.9666666666666667, e.value("test.accuracy"));
        assertEquals(2L, e.value("provenance.threads"));
        assertEquals(0.5, e.value("training.optimizer.learning_rate"));
        assertEquals(8L, e.value("model.layers[0].units"));
        assertEquals("[]", e.value("training.stopping"));
        assertNull(e.value("validation.loss"));
        assertTrue(
                e.keys().containsAll(List.of("test.accuracy", "provenance.threads", "seed", "training.optimizer.name")),
                e.keys().toString());
    }

    @Test
    void runsAreInTheOrderTheyStartedAndASweepsTrialsStayTogetherInTheOrderOfTheirIndex(@TempDir Path runs)
            throws Exception {
        Path sweep = runs.resolve("b").resolve("sweep-00000000");
        run(sweep, "trial-0002", "name: b\n", started("10:00:03"));
        run(sweep, "trial-0000", "name: b\n", started("10:00:02"));
        run(sweep, "trial-0001", "name: b\n", started("10:00:01"));
        run(runs.resolve("b"), "20260101-100000-ffffff", "name: b\n", started("10:00:00.900"));
        run(runs.resolve("b"), "20260101-100000-000000", "name: b\n", started("10:00:02.500"));
        run(runs.resolve("a"), "20260102-000000-aaaaaa", "name: a\n", null);
        var entries = RunIndex.scan(runs);
        var ordered = entries.stream()
                .sorted(RunIndex.defaultOrder(entries))
                .map(e -> e.experiment() + " " + e.run())
                .toList();
        assertEquals(
                List.of(
                        "a 20260102-000000-aaaaaa",
                        "b 20260101-100000-ffffff",
                        "b sweep-00000000/trial-0000",
                        "b sweep-00000000/trial-0001",
                        "b sweep-00000000/trial-0002",
                        "b 20260101-100000-000000"),
                ordered);
    }

    private static String started(String time) {
        return "{\"provenance\": {\"started\": \"2026-01-01T" + time + "Z\"}}";
    }

    @Test
    void aRunWithALiveWriterIsRunningWithTheEpochsOfItsWholeMetricLines(@TempDir Path runs) throws Exception {
        // A resumed run: the summary of the interrupted one is still there while it goes on.
        Path run = run(
                runs.resolve("x"),
                "20260101-000000-aaaaaa",
                "name: x\n",
                "{\"status\": \"interrupted\", \"epochs\": 1}");
        Files.writeString(run.resolve(RunLock.FILE), ProcessHandle.current().pid() + "\n");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\": 1}\n{\"epoch\": 2}\n{\"epoch\": 3}\n{\"epo");
        var e = scan(runs).get(0);
        assertEquals("running", e.status());
        assertEquals(3, e.epochs(), "a line being written is not an epoch yet");
    }

    @Test
    void aMissingOrCorruptSummaryIsUnknownWithANote(@TempDir Path runs) throws Exception {
        Path killed = run(runs.resolve("x"), "20260101-000000-aaaaaa", "name: x\n", null);
        Files.writeString(killed.resolve("metrics.jsonl"), "{}\n{}\n");
        Files.writeString(killed.resolve(RunLock.FILE), "2147483646\n"); // a dead writer's pid: stale
        run(runs.resolve("x"), "20260101-000001-bbbbbb", "name: x\n", "{\"status\": \"compl");
        run(runs.resolve("x"), "20260101-000002-cccccc", ": not yaml: [", "[1, 2]");
        var entries = scan(runs);
        assertEquals(
                List.of("unknown", "unknown", "unknown"),
                entries.stream().map(RunIndex.Entry::status).toList());
        assertEquals(
                "no summary.json: the run ended without one (killed?)",
                entries.get(0).note());
        assertEquals(2, entries.get(0).epochs());
        assertEquals("summary.json is not valid JSON", entries.get(1).note());
        assertNull(entries.get(1).epochs());
        assertEquals("summary.json is not a JSON object", entries.get(2).note());
        assertEquals(Map.of(), entries.get(2).settings());
        assertEquals("x", entries.get(2).experiment(), "the directory names the experiment when no file does");
        assertEquals(
                LocalDateTime.of(2026, 1, 1, 0, 0, 2)
                        .atZone(ZoneId.systemDefault())
                        .toInstant(),
                entries.get(2).started(),
                "the time in the directory's name");
    }

    @Test
    void sweepTrialsAreNamedUnderTheirSweepAndLatestIsNotListedTwice(@TempDir Path runs) throws Exception {
        Path experiment = runs.resolve("l2 study");
        Path first = run(experiment, "20260101-000000-aaaaaa", "name: l2 study\n", "{\"status\": \"completed\"}");
        RunDirectory.pointLatestAt(first);
        run(
                experiment.resolve("sweep-0123abcd"),
                "trial-0000",
                "name: l2 study\ntraining: {l2: 0.0}\n",
                "{\"status\": \"completed\"}");
        run(experiment.resolve("sweep-0123abcd"), "trial-0001", "name: l2 study\ntraining: {l2: 0.01}\n", null);
        Files.writeString(experiment.resolve("sweep-0123abcd").resolve("sweep.csv"), "trial\n");
        Files.createDirectories(runs.resolve(".hidden/20260101-000000-ffffff"));
        Files.writeString(runs.resolve(".hidden/20260101-000000-ffffff/config.yaml"), "name: hidden\n");
        var entries = scan(runs);
        assertEquals(
                List.of("20260101-000000-aaaaaa", "sweep-0123abcd/trial-0000", "sweep-0123abcd/trial-0001"),
                entries.stream().map(RunIndex.Entry::run).toList());
        assertTrue(entries.stream().allMatch(e -> e.experiment().equals("l2 study")));
        assertEquals(0.01, entries.get(2).value("training.l2"));
        assertEquals(
                List.of("sweep-0123abcd/trial-0000", "sweep-0123abcd/trial-0001"),
                scan(experiment.resolve("sweep-0123abcd")).stream()
                        .map(RunIndex.Entry::run)
                        .toList(),
                "a sweep's directory lists its trials");
        assertEquals(
                List.of("20260101-000000-aaaaaa"),
                scan(first).stream().map(RunIndex.Entry::run).toList(),
                "a run's directory lists itself");
    }
}
