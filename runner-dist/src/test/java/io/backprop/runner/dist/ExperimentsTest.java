package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backprop.runner.spec.Bases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed experiments are executable documentation: each validates, runs with its seed, shortened by the
 * overrides on its {@code # quick:} comment line (default: three epochs), and reproduces its golden metrics.jsonl and
 * summary.json (timings dropped; numbers to 1e-9 relative, since Math.exp may differ by an ulp between JVMs).
 * {@code -Dgolden.update=true} rewrites the golden files instead. Full-length results are checked by
 * {@link ExperimentTargetsTest} in the slow profile.
 */
class ExperimentsTest {
    static final Path EXPERIMENTS = Path.of("../experiments");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    // With what differs between machines and checkouts: provenance (versions, processor, absolute paths, start time).
    private static final Set<String> TIMINGS = Set.of(
            "seconds",
            "run",
            "wall_seconds",
            "training_seconds",
            "training_loop_seconds",
            "parallel_share",
            "examples_per_second",
            "provenance");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every committed experiment; a file only meant to be extended (l2-base.yaml) is a base, not one to run. */
    static Stream<Named<Path>> experiments() throws IOException {
        try (var files = Files.list(EXPERIMENTS)) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !Bases.isBase(f)).sorted().toList().stream()
                    .map(f -> Named.of(f.getFileName().toString(), f));
        }
    }

    static Stream<Named<Path>> bases() throws IOException {
        try (var files = Files.list(EXPERIMENTS)) {
            return files.filter(f -> f.toString().endsWith(".yaml") && Bases.isBase(f)).sorted().toList().stream()
                    .map(f -> Named.of(f.getFileName().toString(), f));
        }
    }

    @Test
    void theL2PairSharesABaseThatIsNotRunAndValidatesAsOne() throws IOException {
        assertEquals(List.of("l2-base.yaml"), bases().map(Named::getName).toList());
        Cli cli = Cli.run("validate", EXPERIMENTS.resolve("l2-base.yaml").toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(
                List.of(EXPERIMENTS.resolve("l2-base.yaml")
                        + ": ok as a base of l2-off.yaml, l2-study.yaml; alone it lacks" + " training.max_epochs"),
                cli.outLines());
        assertTrue(
                Files.readAllLines(EXPERIMENTS.resolve("l2-on.yaml")).stream()
                                .filter(l -> !l.startsWith("#"))
                                .count()
                        <= 3,
                "l2-on.yaml is a few lines on top of l2-off.yaml");
    }

    /** The overrides that shorten an experiment for the test suite: its "# quick:" line, or three epochs. */
    static List<String> quick(Path file) throws IOException {
        List<String> args = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# quick: ")) {
                for (String set : line.substring("# quick: ".length()).trim().split("\\s+"))
                    args.addAll(List.of("--set", set));
            }
        }
        return args.isEmpty() ? List.of("--set", "training.max_epochs=3") : args;
    }

    static Path runDirectory(Cli cli) {
        var lines = cli.outLines();
        return Path.of(lines.get(lines.size() - 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void everyExperimentValidates(Path file) {
        Cli cli = Cli.run("validate", file.toString());
        assertEquals("", cli.err());
        assertEquals(0, cli.exitCode());
    }

    static Stream<Named<Path>> benchmarks() throws IOException {
        try (var files = Files.list(EXPERIMENTS.resolve("bench"))) {
            return files.sorted().toList().stream().map(f -> Named.of("bench/" + f.getFileName(), f));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarks")
    void everyBenchmarkValidatesAndOpensWithAComment(Path file) throws IOException {
        Cli cli = Cli.run("validate", file.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(Files.readString(file).startsWith("# "), file.toString());
    }

    @Test
    void benchW1StartsWhereThePeersStartAndReachesFullAccuracyWhenTheyDo() throws IOException {
        // The peers' figures: 2-2-1, batch 4, from SplittableRandom(18), all four patterns right at epoch 2284.
        Cli cli = Cli.run("bench", EXPERIMENTS.resolve("bench/w1.yaml").toString(), "--threads", "1", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode result = JSON.readTree(cli.out());
        assertEquals(2284, result.get("epochs").intValue());
        assertEquals(2284 * 4, result.get("examples").intValue());
        assertTrue(result.get("examples_per_second").doubleValue() > 0);
        assertEquals(1.0, result.get("train").get("accuracy").doubleValue());
        assertTrue(
                result.get("kernels").asText().matches("(native \\S+|Java) \\(.+\\)"),
                result.get("kernels").asText());
    }

    @Test
    void benchWarmsUpOnTheSameExperimentAndMeasuresTheRunAfter() throws IOException {
        Cli cli = Cli.run("bench", EXPERIMENTS.resolve("bench/w1.yaml").toString(), "--warmup", "2", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(2284, JSON.readTree(cli.out()).get("epochs").intValue(), "each run starts from the same weights");
        Cli bad = Cli.run("bench", EXPERIMENTS.resolve("bench/w1.yaml").toString(), "--warmup", "-1");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--warmup must be 0 or more, not -1"), bad.err());
        for (String ceiling : List.of("0", "-5", "NaN", "Infinity")) {
            Cli wrong = Cli.run("bench", EXPERIMENTS.resolve("bench/w1.yaml").toString(), "--ceiling", ceiling);
            assertEquals(2, wrong.exitCode(), ceiling);
            assertTrue(wrong.err().contains("--ceiling must be a positive number of GFLOP/s"), wrong.err());
            assertEquals("", wrong.out(), "nothing measured for --ceiling " + ceiling);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void everyExperimentOpensWithAComment(Path file) throws IOException {
        assertTrue(Files.readString(file).startsWith("# "), file + " should open with what it shows and its result");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void everyExperimentReproducesItsGoldenMetrics(Path file, @TempDir Path runs) throws IOException {
        List<String> args = new ArrayList<>(List.of(file.toString(), "--out", runs.toString()));
        args.addAll(quick(file));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        Path run = runDirectory(cli);
        assertResolvedConfigReadsBackTheSame(run.resolve("config.yaml"));
        String name = file.getFileName().toString().replace(".yaml", "");
        Path golden = GOLDEN.resolve(name);
        List<JsonNode> metrics = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl")))
            metrics.add(withoutTimings(JSON.readTree(line)));
        JsonNode summary =
                withoutTimings(JSON.readTree(run.resolve("summary.json").toFile()));
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden);
            var text = new StringBuilder();
            for (JsonNode m : metrics) text.append(JSON.writeValueAsString(m)).append('\n');
            Files.writeString(golden.resolve("metrics.jsonl"), text);
            Files.writeString(
                    golden.resolve("summary.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
            return;
        }
        List<String> expectedLines = Files.readAllLines(golden.resolve("metrics.jsonl"));
        assertEquals(expectedLines.size(), metrics.size(), "epochs in metrics.jsonl");
        for (int i = 0; i < metrics.size(); i++)
            assertClose(JSON.readTree(expectedLines.get(i)), metrics.get(i), "metrics.jsonl line " + (i + 1));
        assertClose(JSON.readTree(golden.resolve("summary.json").toFile()), summary, "summary.json");
    }

    @Test
    void sameSeedGivesBitIdenticalModelsAndLosses(@TempDir Path runs) throws IOException {
        String xor = EXPERIMENTS.resolve("xor.yaml").toString();
        Path first = runDirectory(Cli.run(xor, "--out", runs.toString()));
        Path second = runDirectory(Cli.run(xor, "--out", runs.toString()));
        assertTrue(!first.equals(second), "a second run must get its own directory");
        assertEquals(Files.readString(first.resolve("model.json")), Files.readString(second.resolve("model.json")));
        var a = Files.readAllLines(first.resolve("metrics.jsonl"));
        var b = Files.readAllLines(second.resolve("metrics.jsonl"));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(
                    JSON.readTree(a.get(i)).get("train_loss").doubleValue(),
                    JSON.readTree(b.get(i)).get("train_loss").doubleValue());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void anotherThreadCountGivesTheSameBits(@TempDir Path runs) throws IOException {
        // mnist's first-layer products (a batch x 784 x 256) are large enough to be split across threads.
        String mnist = EXPERIMENTS.resolve("mnist.yaml").toString();
        String[] quick = {
            "--set", "training.max_epochs=2", "--set", "data.train.limit=600", "--set", "data.test.limit=100"
        };
        Path one =
                runDirectory(Cli.run(concat(new String[] {mnist, "--out", runs.toString(), "--threads", "1"}, quick)));
        Path two =
                runDirectory(Cli.run(concat(new String[] {mnist, "--out", runs.toString(), "--threads", "2"}, quick)));
        assertEquals(Files.readString(one.resolve("model.json")), Files.readString(two.resolve("model.json")));
        var a = Files.readAllLines(one.resolve("metrics.jsonl"));
        var b = Files.readAllLines(two.resolve("metrics.jsonl"));
        for (int i = 0; i < a.size(); i++) {
            assertEquals(
                    JSON.readTree(a.get(i)).get("train_loss").doubleValue(),
                    JSON.readTree(b.get(i)).get("train_loss").doubleValue());
        }
    }

    @Test
    void xorIsLearnedAndTheRunDirectoryHoldsEveryRecord(@TempDir Path runs) throws IOException {
        Cli cli = Cli.run(EXPERIMENTS.resolve("xor.yaml").toString(), "--out", runs.toString());
        Path run = runDirectory(cli);
        assertTrue(run.startsWith(runs.resolve("xor")), run.toString());
        assertTrue(run.getFileName().toString().matches("\\d{8}-\\d{6}-[0-9a-f]{6}"), run.toString());
        for (String f : List.of("config.yaml", "metrics.jsonl", "metrics.prom", "model.json", "summary.json")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("stopped", summary.get("status").asText());
        assertEquals(1.0, summary.get("train").get("accuracy").doubleValue());
        int epochs = summary.get("epochs").intValue();
        assertEquals(epochs, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        String prom = Files.readString(run.resolve("metrics.prom"));
        String runId = run.getFileName().toString();
        double loss = summary.get("train").get("loss").doubleValue();
        assertTrue(
                prom.contains("runner_loss{experiment=\"xor\",run=\"" + runId + "\",split=\"train\"} " + loss), prom);
        assertTrue(
                prom.contains("runner_epochs_total{experiment=\"xor\",run=\"" + runId + "\"} " + epochs + ".0"), prom);
        assertTrue(
                prom.contains("runner_examples_total{experiment=\"xor\",run=\"" + runId + "\"} " + epochs * 4 + ".0"),
                prom);
        assertTrue(
                prom.contains(
                        "runner_epoch_duration_seconds_count{experiment=\"xor\",run=\"" + runId + "\"} " + epochs),
                prom);
        assertTrue(
                prom.contains(
                        "runner_batch_duration_seconds_count{experiment=\"xor\",run=\"" + runId + "\"} " + epochs),
                prom);
        var lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        for (String meter : List.of("gradient_norm", "weight_norm", "dead_fraction")) {
            String name = meter.equals("dead_fraction") ? "runner_dead_units" : "runner_" + meter;
            assertEquals(last.get("layer_0_" + meter).doubleValue(), MetricsIT.series(prom, name, "layer=\"0\""), name);
        }
        assertTrue(prom.contains("jvm_memory_used_bytes{"), "JVM meters are bound");

        // The resolved config is itself an experiment that runs to the same result.
        Cli again = Cli.run(run.resolve("config.yaml").toString(), "--out", runs.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(
                Files.readString(run.resolve("model.json")),
                Files.readString(runDirectory(again).resolve("model.json")));
    }

    @Test
    void theLastLineNamesTheRunAndProgressIsReadable(@TempDir Path runs) {
        Cli cli = Cli.run(EXPERIMENTS.resolve("xor-zero-init.yaml").toString(), "--out", runs.toString());
        var lines = cli.outLines();
        assertTrue(lines.size() <= 25, "one line per epoch is not readable: " + lines.size() + " lines");
        assertTrue(
                lines.get(lines.size() - 2)
                        .startsWith("completed after 5000 epochs: max_epochs 5000 reached; train loss "),
                lines.get(lines.size() - 2));
        assertTrue(Files.isDirectory(runDirectory(cli)));
    }

    /**
     * config.yaml is itself an experiment, standalone (no extends, no ${...}, no YAML aliases), and resolving it again
     * changes nothing but the header comment.
     */
    private static void assertResolvedConfigReadsBackTheSame(Path config) throws IOException {
        var experiment = io.backprop.runner.spec.ExperimentReader.read(config, config.toString());
        var setup = io.backprop.runner.setup.Setup.of(
                experiment, io.backprop.runner.registry.Registry.builtIn().withPlugins(experiment.plugins()));
        String again = io.backprop.runner.run.ResolvedConfig.yaml(setup);
        String written = Files.readString(config);
        assertEquals(withoutHeader(written), withoutHeader(again), config.toString());
        assertTrue(
                !written.contains("extends") && !written.contains("${") && !written.matches("(?s).*[&*]id\\d+.*"),
                written);
    }

    private static String withoutHeader(String config) {
        return config.lines().dropWhile(l -> l.startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
    }

    private static JsonNode withoutTimings(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(TIMINGS);
            o.forEach(ExperimentsTest::withoutTimings);
        }
        return node;
    }

    /** Same keys in the same order, same text; numbers to 1e-9 relative. */
    private static void assertClose(JsonNode expected, JsonNode actual, String where) {
        if (expected.isNumber() && actual.isNumber()) {
            double e = expected.doubleValue();
            double a = actual.doubleValue();
            assertTrue(
                    e == a || Math.abs(e - a) <= 1e-9 * Math.max(Math.abs(e), Math.abs(a)),
                    where + ": " + e + " != " + a);
            return;
        }
        assertEquals(expected.getNodeType(), actual.getNodeType(), where);
        if (expected.isObject()) {
            assertEquals(fieldNames(expected), fieldNames(actual), where);
            expected.fieldNames().forEachRemaining(k -> assertClose(expected.get(k), actual.get(k), where + "." + k));
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), where);
            for (int i = 0; i < expected.size(); i++)
                assertClose(expected.get(i), actual.get(i), where + "[" + i + "]");
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
