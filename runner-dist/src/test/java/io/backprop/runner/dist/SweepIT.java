package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.dist.RunnerJarIT.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C stops a sweep cleanly, and running it again finishes only what is missing. */
class SweepIT {
    @Test
    void anInterruptedSweepGoesOnWhereItStopped(@TempDir Path dir) throws Exception {
        Path study = Files.writeString(dir.resolve("study.yaml"), """
                name: interrupted
                seed: 1
                data: {train: {name: spirals, samples: 100}}
                model:
                  layers: [{units: 32, activation: relu}, {units: 3, activation: softmax}]
                  initializer: he-normal
                cost: cross-entropy
                training: {optimizer: adam, batch_size: 8, max_epochs: 60}
                sweep:
                  grid: {training.l2: [0, 0.0001, 0.001, 0.01]}
                  repeats: 3
                """);
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of(System.getProperty("runner.jar", "../runner.jar"))
                        .toAbsolutePath()
                        .toString(),
                "sweep",
                study.toString(),
                "--parallel",
                "1",
                "--out",
                "runs");
        Process sweep = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sweep.log").toFile())
                .start();
        for (int i = 0; i < 3000 && sweep.isAlive(); i++) {
            if (Files.readAllLines(dir.resolve("sweep.log")).stream()
                            .filter(l -> l.startsWith("trial "))
                            .count()
                    >= 3) break;
            Thread.sleep(10);
        }
        assertTrue(sweep.isAlive(), "the sweep ended before it could be interrupted");
        new ProcessBuilder("kill", "-INT", Long.toString(sweep.pid())).start().waitFor();
        assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("sweep.log"));
        assertTrue(
                log.contains("interrupted: the trials that finished are kept; run the same command again to go on"),
                log);
        long before = log.lines()
                .filter(l -> l.startsWith("trial ") && l.contains(" completed: "))
                .count();
        assertTrue(before >= 3 && before < 12, log);

        Result again = RunnerJarIT.run(dir, "sweep", study.toString(), "--parallel", "2", "--out", "runs");
        assertEquals(0, again.exitCode(), String.join("\n", again.err()));
        assertEquals(
                before,
                again.out().stream()
                        .filter(l -> l.contains(" finished before: "))
                        .count(),
                String.join("\n", again.out()));
        assertTrue(
                again.out().stream().anyMatch(l -> l.startsWith("12 of 12 trials finished; ")),
                String.join("\n", again.out()));
    }
}
