package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mistakes of a first hour with the runner, each answered by one line that says what to type instead. */
class UsageMistakesTest {
    private static final String XOR =
            ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString();

    private static void assertBadInput(String line, Cli cli) {
        assertEquals(List.of(line), cli.errLines());
        assertEquals(2, cli.exitCode());
        assertEquals("", cli.out());
    }

    @Test
    void aMissingFileSuggestsItsTwinAndNearMisses() {
        Path experiments = ExperimentsTest.EXPERIMENTS;
        String iris = experiments.resolve("iris.yml").toString();
        assertBadInput(
                iris + ": no such file; did you mean '" + experiments.resolve("iris.yaml") + "'?", Cli.run(iris));
        String bare = experiments.resolve("iris").toString();
        assertBadInput(
                bare + ": no such file; did you mean '" + experiments.resolve("iris.yaml") + "'?", Cli.run(bare));
        String typo = experiments.resolve("minibach.yaml").toString();
        assertBadInput(
                typo + ": no such file; did you mean '" + experiments.resolve("minibatch.yaml") + "'?",
                Cli.run("validate", typo));
    }

    @Test
    void aFileWithoutEndIsOneLineNotAnOutOfMemoryError() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero), "needs /dev/zero");
        for (String command : List.of("run", "validate", "gradcheck", "sweep", "bench")) {
            assertBadInput(
                    "/dev/zero: cannot read: larger than 16 MiB; an experiment file is a few kilobytes of YAML",
                    Cli.run(command, zero.toString()));
        }
    }

    @Test
    void aValueOfTheWrongTypeOrAnOptionAfterTheEndOfOptionsIsSaidPlainly() {
        assertBadInput("runner: --seed: expected an integer, got 'x' (see --help)", Cli.run(XOR, "--seed=x"));
        for (String command : List.of("run", "bench", "gradcheck")) {
            assertBadInput(
                    "runner: --threads must be from 1 to 1024, not 0 (see --help)",
                    Cli.run(command, XOR, "--threads", "0"));
        }
        assertBadInput(
                "runner: --threads must be from 1 to 1024, not 2000 (see --help)", Cli.run(XOR, "--threads=2000"));
        assertBadInput(
                "runner: --trial: expected an integer, got 'first' (see --help)",
                Cli.run("sweep", XOR, "--trial", "first"));
        assertBadInput(
                "runner: unexpected argument '--set': after '--' no word is an option; put the options before '--' (see --help)",
                Cli.run("run", "--", XOR, "--set", "training.max_epochs=3"));
    }

    @Test
    void runsOptionsWorkBeforeTheFileAsAfterIt(@TempDir Path runs) throws Exception {
        Cli quiet = Cli.run("--quiet", XOR, "--out", runs.toString(), "--set", "training.max_epochs=3");
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertEquals(1, quiet.outLines().size(), quiet.out());
        Cli seeded = Cli.run("--seed", "3", "--set", "training.max_epochs=2", "-q", "--out", runs.toString(), XOR);
        assertEquals(0, seeded.exitCode(), seeded.err());
        String config = Files.readString(Path.of(seeded.outLines().get(0)).resolve("config.yaml"));
        assertTrue(config.contains("\nseed: 3\n") && config.contains("  max_epochs: 2\n"), config);
        Cli printed = Cli.run("--print-config", "--set=training.l2=0.5", XOR);
        assertEquals(0, printed.exitCode(), printed.err());
        assertTrue(printed.out().contains("  l2: 0.5\n"), printed.out());
        Cli named = Cli.run("--out", "report", "--print-config", XOR);
        assertEquals(0, named.exitCode(), "an option's value that is a command's name is a value: " + named.err());
    }

    @Test
    void anOptionThatIsAKeyPointsAtSet() {
        assertBadInput(
                "runner: unknown option '--epochs'; did you mean --set training.max_epochs=10? (see --help)",
                Cli.run(XOR, "--epochs", "10"));
        assertBadInput(
                "runner: unknown option '--epochs'; did you mean --set training.max_epochs=10? (see --help)",
                Cli.run("--epochs", "10", XOR));
        assertBadInput(
                "runner: unknown option '--batch_size'; did you mean --set training.batch_size=8? (see --help)",
                Cli.run("validate", XOR, "--batch_size", "8"));
        assertBadInput(
                "runner: unknown option '--bach-size'; did you mean --set training.batch_size=8? (see --help)",
                Cli.run(XOR, "--bach-size=8"));
        assertBadInput(
                "runner: unknown option '--lr'; did you mean --set training.optimizer.learning_rate=0.1? (see --help)",
                Cli.run(XOR, "--lr", "0.1"));
        assertBadInput(
                "runner: unknown option '--units'; did you mean --set model.layers[0].units=VALUE? (see --help)",
                Cli.run(XOR, "--units"));
        assertBadInput("runner: unknown option '--quite'; did you mean --quiet? (see --help)", Cli.run(XOR, "--quite"));
        assertBadInput(
                "runner: unknown option '--seeds'; did you mean --seed? (see --help)", Cli.run(XOR, "--seeds", "3"));
        assertBadInput(
                "runner: unknown option '--verison'; did you mean --version? (see --help)", Cli.run("--verison"));
        assertBadInput("runner: unknown option '--colour' (see --help)", Cli.run("validate", XOR, "--colour", "red"));
    }

    @Test
    void countsOfOneAreSingular() {
        String andOr = ExperimentsTest.EXPERIMENTS.resolve("and-or.yaml").toString();
        Cli cli = Cli.run("validate", andOr);
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(List.of(andOr + ": ok (4 training examples, 1 layer)"), cli.outLines());
    }

    @Test
    void aKeyInTheWrongPlaceIsFoundWhereItLives() {
        assertBadInput(
                "--set training.lr=0.1: training.lr: unknown key 'lr'; did you mean 'training.optimizer.learning_rate'? "
                        + "(known: batch_size, checkpoint_every, clip_norm, l2, max_epochs, optimizer, precision, schedule, shuffle, stopping, threads)",
                Cli.run("validate", XOR, "--set", "training.lr=0.1"));
        assertBadInput(
                "--set training.optimizer.learning_rate='0.1': training.optimizer.learning_rate: expected a number > 0, "
                        + "got the string '0.1'; write it unquoted: 0.1",
                Cli.run("validate", XOR, "--set", "training.optimizer.learning_rate='0.1'"));
    }
}
