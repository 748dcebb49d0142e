package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.dist.ScaleLayerTest;
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

/** A network with scale layers stopped after its first epoch and resumed from its checkpoint ends as an uninterrupted one. */
class ScaleLayerResumeTest {
    private static final PrintStream NOWHERE = new PrintStream(java.io.OutputStream.nullOutputStream());

    private static Setup setup(Path file) {
        var experiment = ExperimentReader.read(file, file.toString(), List.of("training.checkpoint_every=1"));
        return Setup.of(experiment, Registry.builtIn().withPlugins(experiment.plugins()));
    }

    @Test
    void aResumedRunEndsWithTheGammaOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path file = ScaleLayerTest.experiment(dir);
        Path whole = ExperimentRun.execute(setup(file), dir.resolve("whole"), NOWHERE, NOWHERE, Progress.Mode.QUIET);
        var stop = new StopRequest();
        stop.request("a test");
        var interrupted = assertThrows(
                RunInterruptedException.class,
                () -> ExperimentRun.execute(
                        setup(file), dir.resolve("parts"), NOWHERE, NOWHERE, Progress.Mode.QUIET, stop));
        Path run = interrupted.directory();
        assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "stopped after its first epoch");
        ExperimentRun.resume(setup(run.resolve("config.yaml")), run, NOWHERE, NOWHERE, Progress.Mode.QUIET);
        var json = new ObjectMapper();
        assertEquals(
                json.readTree(whole.resolve("model.json").toFile()).get("layers"),
                json.readTree(run.resolve("model.json").toFile()).get("layers"));
    }
}
