package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiments built of several files: extends:, --config, ${...}, and the standalone config.yaml they resolve to. */
class ComposedConfigsTest {
    private static final Path EXPERIMENTS = ExperimentsTest.EXPERIMENTS;

    @TempDir
    Path dir;

    private String write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
        return dir.resolve(name).toString();
    }

    private static String body(String config) {
        return config.lines().dropWhile(l -> l.startsWith("#")).collect(Collectors.joining("\n"));
    }

    private static String printed(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--print-config";
        Cli cli = Cli.run(all);
        assertEquals(0, cli.exitCode(), cli.err());
        return cli.out();
    }

    @Test
    void aThreeLevelChainWithInterpolationAndSetResolvesAsPredictedAndItsConfigRunsAlone() throws IOException {
        write("base.yaml", """
                seed: 3
                data: {train: xor}
                model:
                  layers:
                    - {units: 4, activation: tanh}
                    - {units: 1, activation: sigmoid}
                  initializer: {name: normal, std: 1.0}
                cost: quadratic
                training:
                  optimizer: {name: sgd, learning_rate: 1.0}
                  batch_size: 4
                  max_epochs: 30
                  stopping: [{name: target-loss, below: 0.001}]
                """);
        write("wide.yaml", """
                extends: base.yaml
                model.layers[0].units: ${training.batch_size}
                training:
                  stopping: null
                """);
        String top = write("wide-l2.yaml", """
                extends: wide.yaml
                name: wide-${model.layers[0].units}
                training:
                  l2: 0.001
                  threads: 1
                """);
        Cli cli = Cli.run(
                top,
                "--set",
                "training.batch_size=2",
                "--out",
                dir.resolve("runs").toString(),
                "--quiet");
        assertEquals(0, cli.exitCode(), cli.err());
        Path run = Path.of(cli.outLines().get(0));
        assertTrue(run.startsWith(dir.resolve("runs/wide-2")), run.toString());
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(
                config.startsWith("# " + top + ", resolved: every default filled in\n# from " + dir.resolve("base.yaml")
                        + ", " + dir.resolve("wide.yaml") + ", " + top + ", merged in that order\n"),
                config);
        assertTrue(
                config.contains("\nname: wide-2\n")
                        && config.contains("  - {units: 2, activation: tanh}\n")
                        && config.contains("  batch_size: 2\n")
                        && config.contains("  l2: 0.001\n")
                        && config.contains("  max_epochs: 30\n")
                        && config.contains("  stopping: []\n"),
                config);
        assertTrue(
                !config.contains("extends")
                        && !config.contains("${")
                        && !config.contains("&id")
                        && !config.contains("*id"),
                config);

        Path alone = Files.copy(run.resolve("config.yaml"), dir.resolve("elsewhere.yaml"));
        Files.delete(dir.resolve("base.yaml"));
        Cli again = Cli.run(alone.toString(), "--out", dir.resolve("runs").toString(), "--quiet");
        assertEquals(0, again.exitCode(), again.err());
        Path rerun = Path.of(again.outLines().get(0));
        assertEquals(Files.readString(run.resolve("model.json")), Files.readString(rerun.resolve("model.json")));
        assertEquals(body(config), body(Files.readString(rerun.resolve("config.yaml"))));
    }

    @Test
    void configStacksFilesAsExtendsDoes() throws IOException {
        String xor = EXPERIMENTS.resolve("xor.yaml").toString();
        String fast = write("fast.yaml", "training: {max_epochs: 7}\nmodel.layers[0].units: 3\n");
        write(
                "xor-fast.yaml",
                "extends: " + Path.of(xor).toAbsolutePath()
                        + "\ntraining: {max_epochs: 7}\nmodel.layers[0].units: 3\n");
        String extended = body(printed(dir.resolve("xor-fast.yaml").toString()));
        assertEquals(extended, body(printed(xor, "--config", fast)), "FILE first, then --config");
        assertEquals(extended, body(printed("--config", xor, "--config", fast)), "--config alone, options first");
        assertEquals(extended, body(printed("run", "--config", xor, "--config", fast)));
        assertTrue(
                extended.contains("  max_epochs: 7\n") && extended.contains("{units: 3, activation: tanh}"), extended);
    }

    @Test
    void l2OnIsL2OffWithLambdaSet() throws IOException {
        String on = body(printed(EXPERIMENTS.resolve("l2-on.yaml").toString()));
        String off = body(printed(EXPERIMENTS.resolve("l2-off.yaml").toString(), "--set", "training.l2=0.03"));
        assertEquals(off.replace("name: l2-off", "name: l2-on"), on);
    }

    @Test
    void runningABaseNamesTheFilesToRunInstead() {
        String base = EXPERIMENTS.resolve("l2-base.yaml").toString();
        Cli cli = Cli.run(base, "--out", dir.resolve("runs").toString());
        assertEquals(2, cli.exitCode());
        assertEquals(
                List.of(base
                        + ": a base, not an experiment: alone it lacks training.max_epochs; run a file that extends it"
                        + " (l2-off.yaml, l2-study.yaml)"),
                cli.errLines());
        assertTrue(!Files.exists(dir.resolve("runs")));
    }

    @Test
    void aMistakeInABaseIsReportedAtItsLineWithTheChain() throws IOException {
        String base = write(
                "base.yaml",
                Files.readString(EXPERIMENTS.resolve("xor.yaml")).replace("batch_size: 4", "batch_size: four"));
        String child = write("child.yaml", "extends: base.yaml\ntraining: {l2: 0.1}\n");
        int line = Files.readAllLines(Path.of(base)).indexOf("  batch_size: four") + 1;
        Cli cli = Cli.run("validate", child);
        assertEquals(2, cli.exitCode());
        assertEquals(
                List.of(child + " -> " + base + ":" + line
                        + ":15: training.batch_size: expected an integer from 1 to 1048576," + " got 'four'"),
                cli.errLines());
    }

    @Test
    void validateChecksASweepAtItsOwnLinesAndSaysABaseIsOne() throws IOException {
        write("study.yaml", "extends: " + EXPERIMENTS.resolve("l2-base.yaml").toAbsolutePath() + """

                training: {max_epochs: 5}
                sweep:
                  grid:
                    training.l2: [0, -1]
                """);
        Cli cli = Cli.run("validate", dir.resolve("study.yaml").toString());
        assertEquals(2, cli.exitCode());
        assertEquals(
                List.of(dir.resolve("study.yaml") + ":5:22: training.l2: expected a number >= 0, got -1"),
                cli.errLines());
        write(
                "rates.yaml",
                "extends: " + EXPERIMENTS.resolve("l2-base.yaml").toAbsolutePath()
                        + "\ntraining: {max_epochs: 5}\nsweep:\n  grid:\n    training.optimizer.learning_rate: [0.1, -2]\n");
        Cli rates = Cli.run("validate", dir.resolve("rates.yaml").toString());
        assertEquals(2, rates.exitCode());
        assertEquals(1, rates.errLines().size(), rates.err());
        assertTrue(
                rates.errLines()
                        .get(0)
                        .startsWith(dir.resolve("rates.yaml") + ":5:45: training.optimizer.learning_rate: "),
                "a plugin's parameter is checked at each point too: " + rates.err());
        Cli ok = Cli.run("validate", EXPERIMENTS.resolve("l2-study.yaml").toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals(
                List.of(EXPERIMENTS.resolve("l2-study.yaml")
                        + ": ok (80 training examples, 3 layers, a sweep of 18 trials)"),
                ok.outLines());
    }
}
