package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.dist.RunnerJarIT.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run killed with SIGKILL goes on from its last checkpoint with {@code run --resume} and ends with exactly the
 * model and the per-epoch losses of a run that was never interrupted.
 */
class ResumeIT {
    private static final String STATEFUL = """
            name: stateful
            seed: 9
            data: {train: {name: moons, samples: 400, noise: 0.3}, validation: {split: 0.25}}
            model:
              layers: [{units: 64, activation: relu, dropout: 0.3}, {units: 64, activation: tanh, dropout: 0.2}, {units: 2, activation: softmax}]
              initializer: he-normal
            cost: cross-entropy
            training:
              optimizer: OPTIMIZER
              schedule: {name: cosine}
              batch_size: 16
              max_epochs: 400
              checkpoint_every: 25
              stopping: [{name: early-stopping, patience: 1000}, {name: plateau, window: 1000}]
            """;

    private static List<Double> losses(Path run) throws Exception {
        var json = new ObjectMapper();
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl")))
            losses.add(json.readTree(line).get("train_loss").doubleValue());
        return losses;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{name: adam, learning_rate: 0.003}",
                "{name: momentum, learning_rate: 0.05, nesterov: true}",
                "{name: sgd, learning_rate: 0.2} | {name: warmup, warmup_epochs: 10, then: reduce-on-plateau, then_params: {patience: '5', factor: '0.7', cooldown: '2', min_lr: '0.01'}}",
                "{name: adam, learning_rate: 0.003} | {name: cosine} | float32"
            })
    void aKilledRunResumesToTheWeightsAndLossesOfAnUninterruptedOne(String optimizerAndSchedule, @TempDir Path dir)
            throws Exception {
        String[] parts = optimizerAndSchedule.split(" \\| ");
        String yaml = STATEFUL.replace("OPTIMIZER", parts[0]);
        if (parts.length > 1) yaml = yaml.replace("schedule: {name: cosine}", "schedule: " + parts[1]);
        if (parts.length > 2)
            yaml = yaml.replace("  checkpoint_every: 25", "  checkpoint_every: 25\n  precision: " + parts[2]);
        Path file = Files.writeString(dir.resolve("stateful.yaml"), yaml);
        Result whole = RunnerJarIT.run(dir, file.toString(), "--out", "whole", "--quiet");
        assertEquals(0, whole.exitCode(), String.join("\n", whole.err()));
        Path reference = dir.resolve(whole.out().get(0));

        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of(System.getProperty("runner.jar", "../runner.jar"))
                        .toAbsolutePath()
                        .toString(),
                file.toString(),
                "--out",
                "killed",
                "--quiet");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile())
                .start();
        Path run = null;
        for (int i = 0; i < 3000 && process.isAlive(); i++) {
            try (var runs = Files.list(dir.resolve("killed/stateful"))) {
                run = runs.findFirst().orElse(null);
            } catch (java.nio.file.NoSuchFileException e) {
                run = null;
            }
            if (run != null
                    && Files.exists(run.resolve("checkpoint.bin"))
                    && Files.readAllLines(run.resolve("metrics.jsonl")).size() >= 60) break;
            Thread.sleep(5);
        }
        assertTrue(process.isAlive(), "the run ended before it could be killed");
        process.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        int recorded = Files.readAllLines(run.resolve("metrics.jsonl")).size();
        assertTrue(recorded < 400, "killed at epoch " + recorded);
        assertFalse(Files.exists(run.resolve("summary.json")), "a killed run has no summary yet");

        Result resumed = RunnerJarIT.run(dir, "run", "--resume", run.toString(), "--quiet");
        assertEquals(0, resumed.exitCode(), String.join("\n", resumed.err()));
        assertEquals(Files.readString(reference.resolve("model.json")), Files.readString(run.resolve("model.json")));
        assertEquals(losses(reference), losses(run));
        var json = new ObjectMapper();
        var a = json.readTree(reference.resolve("summary.json").toFile());
        var b = json.readTree(run.resolve("summary.json").toFile());
        for (String key : List.of("status", "epochs", "best_epoch", "kept_epoch", "train", "validation"))
            assertEquals(a.get(key), b.get(key), key);
        assertFalse(Files.exists(run.resolve("checkpoint.bin")), "a finished run keeps no checkpoint");
    }

    @Test
    void aRunWhoseNameHasASpaceResumes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("my exp.yaml"),
                STATEFUL.replace("name: stateful\n", "").replace("OPTIMIZER", "adam"));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of(System.getProperty("runner.jar", "../runner.jar"))
                        .toAbsolutePath()
                        .toString(),
                file.toString(),
                "--out",
                "runs",
                "--quiet");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile())
                .start();
        Path run = null;
        for (int i = 0; i < 3000 && process.isAlive(); i++) {
            try (var runs = Files.list(dir.resolve("runs/my exp"))) {
                run = runs.filter(p -> !p.getFileName().toString().equals("latest"))
                        .findFirst()
                        .orElse(null);
            } catch (java.nio.file.NoSuchFileException e) {
                run = null;
            }
            if (run != null && Files.exists(run.resolve("checkpoint.bin"))) break;
            Thread.sleep(5);
        }
        assertTrue(process.isAlive(), "the run ended before it could be killed");
        process.destroyForcibly();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));

        Result resumed = RunnerJarIT.run(dir, "run", "--resume", "runs/my exp/" + run.getFileName(), "--quiet");
        assertEquals(0, resumed.exitCode(), String.join("\n", resumed.err()));
        assertEquals(List.of("runs/my exp/" + run.getFileName()), resumed.out());
        assertEquals(
                "my exp",
                new ObjectMapper()
                        .readTree(run.resolve("summary.json").toFile())
                        .get("experiment")
                        .asText());
    }

    @Test
    void aFinishedRunHasNothingToResumeAndOneWithoutACheckpointSaysSo(@TempDir Path dir) throws Exception {
        Result r = RunnerJarIT.run(
                dir,
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toAbsolutePath().toString(),
                "--quiet");
        Path run = dir.resolve(r.out().get(0));
        String model = Files.readString(run.resolve("model.json"));
        Result done = RunnerJarIT.run(dir, "run", "--resume", run.toString());
        assertEquals(0, done.exitCode(), String.join("\n", done.err()));
        assertEquals(List.of(run + ": the run finished; nothing to resume"), done.out());
        assertEquals(model, Files.readString(run.resolve("model.json")));

        Files.delete(run.resolve("summary.json")); // as if it had died without a checkpoint
        Result again = RunnerJarIT.run(dir, "run", "--resume", run.toString());
        assertEquals(2, again.exitCode());
        assertEquals(
                List.of(run + ": has no checkpoint to resume from: it ran without training.checkpoint_every"),
                again.err());
        Result both = RunnerJarIT.run(dir, "run", "x.yaml", "--resume", run.toString());
        assertEquals(List.of("run: name an experiment FILE, or --resume RUN_DIR, not both"), both.err());
    }
}
