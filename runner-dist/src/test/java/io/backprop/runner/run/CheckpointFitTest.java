package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backprop.runner.engine.Checkpoint;
import io.backprop.runner.engine.StopRequest;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.SpecException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint whose checksum, owner and digests are all right but whose arrays do not fit the network or the
 * optimizer (a plugin of another version) is refused before anything is written.
 */
class CheckpointFitTest {
    private static final String EXPERIMENT = """
            name: fit
            seed: 3
            data: {train: {name: moons, samples: 64}}
            model: {layers: [{units: 8, activation: tanh}, {units: 2, activation: softmax}], initializer: xavier-normal}
            cost: cross-entropy
            training: {optimizer: adam, batch_size: 16, max_epochs: 20, checkpoint_every: 5}
            """;

    private static final PrintStream NOWHERE = new PrintStream(java.io.OutputStream.nullOutputStream());

    private static Setup setup(Path file) {
        var experiment = ExperimentReader.read(file, file.toString(), List.of());
        return Setup.of(experiment, Registry.builtIn().withPlugins(experiment.plugins()));
    }

    /** An interrupted run (stopped after its first epoch) whose checkpoint is rewritten by {@code change}, stamped right. */
    private static Path run(Path dir, UnaryOperator<Checkpoint> change) throws Exception {
        Path file = Files.writeString(dir.resolve("fit.yaml"), EXPERIMENT);
        var stop = new StopRequest();
        stop.request("a test");
        var interrupted = assertThrows(
                RunInterruptedException.class,
                () -> ExperimentRun.execute(
                        setup(file), dir.resolve("runs"), NOWHERE, NOWHERE, Progress.Mode.QUIET, stop));
        Path run = interrupted.directory();
        String id = run.getFileName().toString();
        var verified = CheckpointFile.read(run, id);
        var owner = new CheckpointFile.Owner(
                id,
                CheckpointFile.sha256(Files.readAllBytes(run.resolve("config.yaml"))),
                CheckpointFile.digest(verified.history()));
        Files.write(
                run.resolve(ExperimentRun.CHECKPOINT),
                CheckpointFile.encode(change.apply(verified.checkpoint()), owner));
        return run;
    }

    private static Map<String, String> files(Path run) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.list(run)) {
            for (Path p : all.toList()) {
                if (!p.getFileName().toString().equals(RunLock.FILE))
                    files.put(
                            p.getFileName().toString(),
                            Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    private static void assertRefused(Path run, String problem) throws Exception {
        Map<String, String> before = files(run);
        Path config = run.resolve("config.yaml");
        var e = assertThrows(
                SpecException.class,
                () -> ExperimentRun.resume(setup(config), run, NOWHERE, NOWHERE, Progress.Mode.QUIET));
        assertEquals(
                List.of(run.resolve(ExperimentRun.CHECKPOINT) + ": " + problem),
                e.problems().stream().map(p -> p.format()).toList());
        assertEquals(before, files(run), "nothing written");
    }

    @Test
    void anOptimizerStateOfOtherShapesIsRefused(@TempDir Path dir) throws Exception {
        Path run = run(dir, c -> {
            List<double[]> state = new ArrayList<>(c.optimizerState());
            state.remove(state.size() - 1);
            return new Checkpoint(c.epoch(), c.examples(), c.seconds(), c.parameters(), state, c.bestParameters());
        });
        assertRefused(
                run,
                "its optimizer state does not fit optimizer 'adam' (built-in); the run cannot go on from it with this version of the plugin");
    }

    @Test
    void weightsOfOtherShapesAreRefused(@TempDir Path dir) throws Exception {
        Path run = run(dir, c -> {
            double[][] w = c.parameters().clone();
            w[0] = new double[w[0].length + 1];
            return new Checkpoint(c.epoch(), c.examples(), c.seconds(), w, c.optimizerState(), c.bestParameters());
        });
        assertRefused(run, "its weights do not fit the network of config.yaml; the run cannot go on from it");
    }

    @Test
    void theUnchangedCheckpointGoesOn(@TempDir Path dir) throws Exception {
        Path run = run(dir, c -> c);
        Path config = run.resolve("config.yaml");
        assertEquals(run, ExperimentRun.resume(setup(config), run, NOWHERE, NOWHERE, Progress.Mode.QUIET));
        assertEquals(20, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    }
}
