package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How runs end when training goes wrong: exit code 3, a message saying what to try, and every record kept. */
class RunOutcomesTest {
    private static final String DIVERGING = """
            name: diverging
            data: {train: xor}
            model:
              layers: [{units: 3, activation: tanh}, {units: 1, activation: identity}]
              initializer: {name: normal, std: 1.0}
            cost: quadratic
            training:
              optimizer: {name: sgd, learning_rate: 1e150}
              batch_size: 4
              max_epochs: 100
            """;

    @Test
    void aLossThatLeavesTheFiniteNumbersEndsTheRunAsDiverged(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("diverging.yaml"), DIVERGING);
        Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString());
        assertEquals(3, cli.exitCode());
        assertEquals(1, cli.errLines().size(), cli.err());
        assertTrue(cli.err().startsWith("run diverged: the loss became "), cli.err());
        assertTrue(cli.err().contains("try a smaller learning rate"), cli.err());

        Path run = ExperimentsTest.runDirectory(cli);
        var summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals("diverged", summary.get("status").asText());
        int epochs = summary.get("epochs").intValue();
        assertTrue(epochs >= 1 && epochs < 100, "epochs " + epochs);
        var lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(epochs, lines.size(), "every epoch up to the divergence is kept");
        assertTrue(lines.get(epochs - 1).contains("\"train_loss\":null"), lines.get(epochs - 1));
        assertTrue(Files.isRegularFile(run.resolve("model.json")));
        assertTrue(Files.isRegularFile(run.resolve("metrics.prom")));
    }

    @Test
    void anEarlierRunIsNeverOverwritten(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("diverging.yaml"), DIVERGING);
        Path first = ExperimentsTest.runDirectory(Cli.run(file.toString(), "--out", dir.toString()));
        String summary = Files.readString(first.resolve("summary.json"));
        Path second = ExperimentsTest.runDirectory(Cli.run(file.toString(), "--out", dir.toString()));
        assertTrue(!first.equals(second));
        assertEquals(summary, Files.readString(first.resolve("summary.json")));
    }
}
