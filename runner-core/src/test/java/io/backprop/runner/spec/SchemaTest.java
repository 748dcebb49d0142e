package io.backprop.runner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
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

    /** The keys an unknown key's message lists, as the readers themselves say them. */
    private static List<String> listedKeys(SpecException e) {
        String message = e.problems().get(0).message();
        String list = message.substring(message.indexOf("(known: ") + "(known: ".length(), message.length() - 1);
        return List.of(list.split(", "));
    }

    @Test
    void theSchemaHasTheKeysTheReadersTake(@TempDir Path dir) throws Exception {
        for (var mapping : Schema.KEYS.entrySet()) {
            String at = mapping.getKey().replace("[]", "[0]");
            String override = (at.isEmpty() ? "" : at + ".") + "no_such_key=1";
            SpecException e;
            if (at.startsWith("sweep")) {
                Path file = dir.resolve("sweep.yaml");
                String block = switch (at) {
                    case "sweep" -> "  no_such_key: 1\n";
                    case "sweep.random" -> "  random: {no_such_key: 1}\n";
                    default -> "  grid: {seed: [1]}\n  " + at.substring("sweep.".length()) + ": {no_such_key: 1}\n";
                };
                Files.writeString(file, MINIMAL + "sweep:\n" + block);
                e = assertThrows(SpecException.class, () -> SweepPlan.read(file, "sweep.yaml"), at);
            } else {
                e = assertThrows(
                        SpecException.class,
                        () -> ExperimentReader.parse(MINIMAL, "e.yaml", "e", Path.of("/x"), List.of(override)),
                        at);
            }
            assertEquals(List.copyOf(new TreeSet<>(mapping.getValue())), listedKeys(e), at);
        }
    }

    @Test
    void aKeyIsFoundWhereItLivesByItsNameOrAnAlias() {
        var everywhere = new java.util.ArrayList<>(Schema.paths());
        everywhere.add("training.optimizer.learning_rate");
        var training = Schema.KEYS.get("training");
        assertEquals(List.of("training.optimizer.learning_rate"), Schema.hints("lr", "training", training, everywhere));
        assertEquals(
                List.of("training.optimizer.learning_rate"),
                Schema.hints("learning-rate", "training", training, everywhere));
        assertEquals(List.of("max_epochs"), Schema.hints("epochs", "training", training, everywhere));
        assertEquals(
                List.of("training.batch_size"), Schema.hints("batch", "model", Schema.KEYS.get("model"), everywhere));
        assertEquals(List.of("cost"), Schema.hints("loss", "", Schema.KEYS.get(""), everywhere));
        assertEquals(
                List.of("model.layers[2].units"),
                Schema.hints("units", "model.layers[2].activation", List.of(), everywhere),
                "the same layer's");
        assertEquals(
                List.of("batch_size"),
                Schema.hints("bach_size", "training", training, everywhere),
                "near misses here first");
        assertEquals(
                List.of("training.optimizer.learning_rate"),
                Schema.hints("learning_rat", "training", training, everywhere));
        assertEquals(List.of(), Schema.hints("colour", "training", training, everywhere));
        assertTrue(Schema.paths().contains("model.layers[0].dropout"));
    }

    @Test
    void anUnknownKeyNamesWhereTheKeyLives() {
        Schema.PluginParameters parameters = (kind, name) -> kind.equals("optimizer") && name.equals("sgd")
                ? List.of("learning_rate")
                : kind.equals("stopping rule") ? List.of("below") : List.of();
        var e = assertThrows(
                SpecException.class,
                () -> ExperimentReader.parse(
                        MINIMAL.replace(
                                "max_epochs: 10",
                                "max_epochs: 10\n  lr: 0.1\n  stopping: [target-loss]\n  patience: 3\n  belo: 1"),
                        "e.yaml",
                        "e",
                        Path.of("/x"),
                        List.of(),
                        parameters));
        String known =
                " (known: batch_size, checkpoint_every, clip_norm, l2, max_epochs, optimizer, precision, schedule, shuffle, stopping, threads)";
        assertEquals(
                List.of(
                        "e.yaml:9:3: training.lr: unknown key 'lr'; did you mean 'training.optimizer.learning_rate'?"
                                + known,
                        "e.yaml:11:3: training.patience: unknown key 'patience'" + known,
                        "e.yaml:12:3: training.belo: unknown key 'belo'; did you mean 'training.stopping[0].below'?"
                                + known),
                e.problems().stream().map(Problem::format).toList());
    }
}
