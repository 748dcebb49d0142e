package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** An experiment's name is one plain directory under the runs root, whatever its file is called. */
class RunNamesTest {
    private static final String NAMELESS = """
            seed: 10
            data: {train: {name: moons, samples: 60, noise: 0.2}, validation: {split: 0.25}}
            model:
              layers: [{units: 8, activation: tanh}, {units: 2, activation: softmax}]
              initializer: xavier-normal
            cost: cross-entropy
            training: {optimizer: {name: sgd, learning_rate: 0.1}, batch_size: 8, max_epochs: 3}
            """;

    /** Runs {@code file} into {@code dir/runs}; returns the run directory after checking it lies in runs/{@code expected}. */
    private static Path run(Path dir, Path file, String expected) {
        Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString(), "--quiet");
        assertEquals(0, cli.exitCode(), cli.err());
        Path run = Path.of(cli.outLines().get(cli.outLines().size() - 1));
        assertEquals(dir.resolve("runs").resolve(expected), run.getParent(), "the run's directory");
        return run;
    }

    private static List<String> entries(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void fileNamesThatAreNoNameAreMadeIntoOneAndSaySo(@TempDir Path dir) throws Exception {
        for (var e : Map.of(
                        "...yaml", "experiment", "..yaml", "experiment", "<b>.yaml", "b-", "a\n\"q'$x.yaml", "a-q-x")
                .entrySet()) {
            Path file = Files.writeString(dir.resolve(e.getKey()), NAMELESS);
            Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString(), "--quiet");
            assertEquals(0, cli.exitCode(), cli.err());
            Path run = Path.of(cli.outLines().get(0));
            assertEquals(dir.resolve("runs").resolve(e.getValue()), run.getParent(), e.getKey());
            String stem = e.getKey()
                    .substring(0, e.getKey().length() - ".yaml".length())
                    .replace("\n", "\\n");
            assertEquals(
                    List.of("note: " + file.toString().replace("\n", "\\n") + ": '" + stem
                            + "' is not a name (letters, digits, '.', '_', '-'"
                            + " and spaces, starting with a letter or a digit); its runs go under '" + e.getValue()
                            + "'; add name: to choose another"),
                    cli.errLines());
            String report = Files.readString(run.resolve("report.html"));
            assertTrue(report.contains("<title>Run " + e.getValue() + " "), report.substring(0, 200));
            assertFalse(report.contains("<b>"), "no markup from a file name");
        }
        assertEquals(
                List.of("...yaml", "..yaml", "<b>.yaml", "a\n\"q'$x.yaml", "runs"),
                entries(dir),
                "nothing outside the runs root");
        assertEquals(List.of("a-q-x", "b-", "experiment"), entries(dir.resolve("runs")));
    }

    @Test
    void aPathWithALineBreakStaysInConfigYamlsHeaderComment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                Files.createDirectories(dir.resolve("x\nseed: 99\n#")).resolve("moons.yaml"), NAMELESS);
        Path run = run(dir, file, "moons");
        List<String> config = Files.readAllLines(run.resolve("config.yaml"));
        assertEquals(
                "# " + file.toString().replace("\n", "\\n") + ", resolved: every default filled in", config.get(0));
        assertTrue(config.get(1).startsWith("name: "), config.get(1));
        Map<String, Object> yaml =
                new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(run.resolve("config.yaml")));
        assertEquals("moons", yaml.get("name"));
        assertEquals(10, yaml.get("seed"));
    }

    @Test
    void aProblemInAFileWhosePathHasALineBreakIsStillOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                Files.createDirectories(dir.resolve("x\ny")).resolve("typo.yaml"), NAMELESS + "trainin: {}\n");
        Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(
                List.of(file.toString().replace("\n", "\\n")
                        + ":8:1: trainin: unknown key 'trainin'; did you mean 'training'? (known: cost,"
                        + " data, metrics, model, name, plugins, seed, sweep, training)"),
                cli.errLines());
    }

    @Test
    void aNameMayHoldSpacesButNeverASlashOrALineBreak(@TempDir Path dir) throws Exception {
        run(dir, Files.writeString(dir.resolve("spaced.yaml"), "name: my exp\n" + NAMELESS), "my exp");
        run(dir, Files.writeString(dir.resolve("my exp.yaml"), NAMELESS), "my exp");
        for (String name : List.of("../up", "a/b", "\"a\\nb\"", "' lead'", "'trail '", ".hidden")) {
            Path file = Files.writeString(dir.resolve("bad.yaml"), "name: " + name + "\n" + NAMELESS);
            Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString());
            assertEquals(2, cli.exitCode(), cli.err());
            String shown = name.replaceAll("^[\"']|[\"']$", "");
            assertEquals(
                    List.of(file
                            + ":1:7: name: expected a name of letters, digits, '.', '_', '-' and spaces, starting with a letter or"
                            + " a digit, got '" + shown + "'"),
                    cli.errLines());
        }
        assertEquals(List.of("my exp"), entries(dir.resolve("runs")));
    }

    @Test
    void aNameWithASpaceIsSwept(@TempDir Path dir) throws Exception {
        Path file =
                Files.writeString(dir.resolve("my exp.yaml"), NAMELESS + "sweep: {grid: {training.l2: [0, 0.01]}}\n");
        Cli cli = Cli.run("sweep", file.toString(), "--out", dir.resolve("runs").toString(), "--parallel", "1");
        assertEquals(0, cli.exitCode(), cli.err());
        Path sweep = Path.of(cli.outLines().get(cli.outLines().size() - 1));
        assertEquals(dir.resolve("runs/my exp"), sweep.getParent());
        assertEquals(3, Files.readAllLines(sweep.resolve("sweep.csv")).size());
        assertTrue(Files.readString(sweep.resolve("sweep.html")).contains("<title>Sweep of my exp ("));
    }
}
