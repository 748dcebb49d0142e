package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gradcheck, evaluate, predict, and the ways run prints for people and scripts. */
class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IRIS =
            ExperimentsTest.EXPERIMENTS.resolve("iris.yaml").toString();

    private static Path iris(Path runs) {
        Cli cli = Cli.run(IRIS, "--out", runs.toString(), "--quiet");
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(1, cli.outLines().size(), "--quiet prints the run directory only: " + cli.out());
        return Path.of(cli.outLines().get(0));
    }

    @Test
    void gradcheckReportsEveryLayerAndPasses() {
        Cli cli = Cli.run("gradcheck", IRIS, "--set", "training.l2=0.01", "--threads", "2");
        assertEquals(0, cli.exitCode(), cli.err());
        var lines = cli.outLines();
        assertTrue(
                lines.get(0)
                        .startsWith("gradcheck iris: 67 parameters x 4 training examples, l2 0.01, 2 forward passes"
                                + " each on 2 threads; "),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("layer 0 (4 -> 8 tanh): weights "), lines.get(1));
        assertTrue(lines.get(1).endsWith(": ok"), lines.get(1));
        assertTrue(lines.get(2).startsWith("layer 1 (8 -> 3 softmax): weights "), lines.get(2));
        assertEquals("passed", lines.get(3));
        Cli one = Cli.run("gradcheck", IRIS, "--set", "training.l2=0.01", "--threads", "1");
        assertEquals(lines.subList(1, 4), one.outLines().subList(1, 4), "the same figures on one thread as on two");
    }

    @Test
    void gradcheckChecksTheClassWeightedCostTrainingUses() {
        Cli cli = Cli.run(
                "gradcheck",
                IRIS,
                "--set",
                "cost={name: cross-entropy, class_weights: {2: 4, 0: 0.5}}",
                "--examples",
                "8");
        assertEquals(0, cli.exitCode(), cli.err());
        var lines = cli.outLines();
        assertTrue(
                lines.get(0)
                        .startsWith(
                                "gradcheck iris: 67 parameters x 8 training examples, l2 0.0, class weights {0: 0.5, 1: 1, 2: 4},"),
                lines.get(0));
        assertEquals("passed", lines.get(3));
    }

    @Test
    void evaluateGivesTheRunsOwnTestFiguresAndMeasuresOtherData(@TempDir Path runs) throws Exception {
        Path run = iris(runs);
        JsonNode test = JSON.readTree(run.resolve("summary.json").toFile()).get("test");
        Cli cli = Cli.run("evaluate", run.toString(), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode result = JSON.readTree(cli.out());
        assertEquals(30, result.get("examples").intValue());
        assertEquals(test.get("loss").doubleValue(), result.get("loss").doubleValue());
        assertEquals(test.get("accuracy").doubleValue(), result.get("accuracy").doubleValue());
        Cli all = Cli.run(
                "evaluate",
                run.toString(),
                "--data",
                "{name: csv, path: " + ExperimentsTest.EXPERIMENTS.resolve("data/iris/iris.csv") + "}");
        assertEquals(0, all.exitCode(), all.err());
        assertTrue(all.out().contains(": 150 examples, loss "), all.out());
        Cli none = Cli.run("evaluate", run.toString(), "--split", "tests");
        assertEquals(2, none.exitCode());
        assertEquals(List.of("--split: expected test, validation or train, got 'tests'"), none.errLines());
    }

    @Test
    void evaluateGivesEverySummaryFigureAndPrintsAPerClassTableAndTheConfusionMatrix(@TempDir Path runs)
            throws Exception {
        Path run = iris(runs);
        JsonNode test = JSON.readTree(run.resolve("summary.json").toFile()).get("test");
        JsonNode result =
                JSON.readTree(Cli.run("evaluate", run.toString(), "--json").out());
        var keys = new java.util.ArrayList<String>();
        test.fieldNames().forEachRemaining(keys::add);
        assertEquals(
                List.of(
                        "loss",
                        "accuracy",
                        "examples",
                        "log_loss",
                        "balanced_accuracy",
                        "macro_f1",
                        "weighted_f1",
                        "roc_auc",
                        "average_precision",
                        "classes",
                        "confusion_matrix",
                        "per_class"),
                keys);
        for (String key : keys) assertEquals(test.get(key), result.get(key), key);

        Cli cli = Cli.run("evaluate", run.toString(), "--precision", "3");
        assertEquals(0, cli.exitCode(), cli.err());
        var lines = cli.outLines();
        assertTrue(
                lines.get(1)
                        .matches(
                                "log loss \\S+, balanced accuracy \\S+, macro F1 \\S+, weighted F1 \\S+, ROC AUC \\(macro\\) \\S+,"
                                        + " average precision \\(macro\\) \\S+"),
                lines.get(1));
        assertEquals("", lines.get(2));
        assertEquals("class  precision  recall     f1  support  roc_auc  average_precision", lines.get(3));
        for (int c = 0; c < 3; c++) {
            JsonNode perClass = test.get("per_class").get(c);
            String[] cells = lines.get(4 + c).trim().split("\\s+");
            assertEquals(lines.get(3).length(), lines.get(4 + c).length(), "aligned: " + lines.get(4 + c));
            assertEquals(perClass.get("class").asText(), cells[0]);
            assertEquals(
                    String.format(
                            java.util.Locale.ROOT,
                            "%.3g",
                            perClass.get("recall").doubleValue()),
                    cells[2]);
            assertEquals(perClass.get("support").asText(), cells[4]);
        }
        assertEquals("", lines.get(7));
        assertEquals("confusion matrix (rows: true class, columns: predicted)", lines.get(8));
        assertTrue(lines.get(9).trim().matches("0\\s+1\\s+2"), lines.get(9));
        for (int t = 0; t < 3; t++) {
            String[] cells = lines.get(10 + t).trim().split("\\s+");
            assertEquals(lines.get(9).length(), lines.get(10 + t).length(), "aligned: " + lines.get(10 + t));
            assertEquals(Integer.toString(t), cells[0]);
            for (int p = 0; p < 3; p++)
                assertEquals(test.get("confusion_matrix").get(t).get(p).asText(), cells[p + 1]);
        }
        assertEquals(13, lines.size(), cli.out());
    }

    @Test
    void predictWritesTheClassAndItsProbabilities(@TempDir Path runs) throws Exception {
        Path run = iris(runs);
        Path input = Files.writeString(
                runs.resolve("in.csv"),
                "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");
        Path output = runs.resolve("out.csv");
        Cli cli = Cli.run("predict", run.toString(), "--input", input.toString(), "--output", output.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        var lines = Files.readAllLines(output);
        assertEquals("class,p_0,p_1,p_2", lines.get(0));
        assertTrue(lines.get(1).startsWith("0,"), "a setosa: " + lines.get(1));
        assertTrue(lines.get(2).startsWith("2,"), "a virginica: " + lines.get(2));
        String[] cells = lines.get(1).split(",");
        double sum = 0;
        for (int i = 1; i < cells.length; i++) sum += Double.parseDouble(cells[i]);
        assertEquals(1, sum, 1e-5, "probabilities sum to 1");
        Path ragged = Files.writeString(
                runs.resolve("bad.csv"), "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n1,2,3\n");
        Cli bad = Cli.run("predict", run.toString(), "--input", ragged.toString());
        assertEquals(2, bad.exitCode());
        assertEquals(List.of(ragged + ":2: the row has 3 cells; the header has 4"), bad.errLines());
    }

    @Test
    void jsonPrintsTheSummaryForScriptsAndPrintConfigTheResolvedExperiment(@TempDir Path runs) throws Exception {
        Cli cli =
                Cli.run(ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString(), "--out", runs.toString(), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = JSON.readTree(cli.out());
        Path run = Path.of(summary.get("run_directory").asText());
        assertEquals(JSON.readTree(run.resolve("summary.json").toFile()).get("train"), summary.get("train"));
        assertTrue(cli.err().contains("epoch"), "progress goes to stderr");
        Cli config = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString(),
                "--print-config",
                "--seed",
                "7",
                "--set",
                "training.l2=0.5");
        assertEquals(0, config.exitCode(), config.err());
        assertTrue(config.out().contains("seed: 7\n") && config.out().contains("  l2: 0.5\n"), config.out());
    }

    @Test
    void runAndBenchSayWhichKernelsRunInOneLine(@TempDir Path runs) throws Exception {
        String xor = ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString();
        String kernels = io.backprop.runner.engine.kernel.Products.kernels();
        boolean fused = new io.backprop.runner.engine.kernel.Products(
                        io.backprop.runner.engine.kernel.Workers.callerOnly(1))
                .fused();
        String line = "kernels: " + kernels + ", float64 with "
                + (fused ? "fused multiply-add" : "separate multiply and add");
        assertTrue(
                line.matches(
                        "kernels: (native (avx512|avx2|portable) \\(libbackprop-kernels, linux-(x86_64|aarch64)\\)|Java \\(.+\\)), float64 with .+"),
                line);
        Cli run = Cli.run(xor, "--out", runs.toString(), "--set", "training.max_epochs=2");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(line, run.outLines().get(0), "the first line, before the epochs");
        assertEquals(
                1,
                run.outLines().stream().filter(l -> l.startsWith("kernels: ")).count(),
                run.out());
        Cli json = Cli.run(xor, "--out", runs.toString(), "--set", "training.max_epochs=2", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertEquals(line, json.errLines().get(0), "--json: with the progress on stderr");
        JSON.readTree(json.out());
        Cli quiet = Cli.run(xor, "--out", runs.toString(), "--set", "training.max_epochs=2", "--quiet");
        assertEquals(
                List.of(),
                quiet.outLines().stream().filter(l -> l.startsWith("kernels: ")).toList(),
                "--quiet: the run directory only");
        // A run refused before its first epoch prints its error alone; a finished run resumed trains nothing.
        Path finished = Path.of(quiet.outLines().get(0));
        Cli done = Cli.run("run", "--resume", finished.toString());
        assertEquals(0, done.exitCode(), done.err());
        assertEquals(List.of(finished + ": the run finished; nothing to resume"), done.outLines());
        Files.writeString(finished.resolve("checkpoint.bin"), "not a checkpoint");
        Cli refused = Cli.run("run", "--resume", finished.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals(1, refused.errLines().size(), refused.err());
        assertEquals("", refused.out());
        Cli bench = Cli.run("bench", xor, "--set", "training.max_epochs=2");
        assertEquals(0, bench.exitCode(), bench.err());
        assertEquals(List.of(line), bench.outLines().subList(0, 1));
        assertEquals(2, bench.outLines().size(), bench.out());
        Cli benchJson = Cli.run("bench", xor, "--set", "training.max_epochs=2", "--json");
        assertEquals(0, benchJson.exitCode(), benchJson.err());
        assertEquals(List.of(line), benchJson.errLines());
        assertEquals(kernels, JSON.readTree(benchJson.out()).get("kernels").asText());
        assertEquals("float64", JSON.readTree(benchJson.out()).get("precision").asText());
    }

    private static final String PROFILE_COLUMNS =
            "epoch  forward  backward  update  data copy  evaluation   other    total ms";

    /** The profile's rows from {@code lines}: epoch (0 for the total), six shares in percent, milliseconds. */
    private static List<double[]> profileRows(List<String> lines) {
        int header = lines.indexOf(PROFILE_COLUMNS);
        assertTrue(header > 0, String.join("\n", lines));
        assertEquals("profile: each epoch's wall time by phase, and in all", lines.get(header - 1));
        var rows = new java.util.ArrayList<double[]>();
        for (String line : lines.subList(header + 1, lines.size())) {
            if (!line.matches("\\s*(\\d+|total)(\\s+\\d+\\.\\d%){6}\\s+\\d+\\.\\d{3}")) break;
            String[] cells = line.trim().split("\\s+");
            double[] row = new double[8];
            row[0] = cells[0].equals("total") ? 0 : Integer.parseInt(cells[0]);
            for (int c = 1; c < 8; c++) row[c] = Double.parseDouble(cells[c].replace("%", ""));
            double shares = 0;
            for (int c = 1; c <= 6; c++) shares += row[c];
            assertEquals(100, shares, 0.35, "every phase's share, rounded, adds up to the whole: " + line);
            rows.add(row);
        }
        return rows;
    }

    @Test
    void benchProfilePrintsEachPhasesShareOfEveryEpochAfterTheUsualLines() throws Exception {
        String xor = ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString();
        Cli plain = Cli.run("bench", xor, "--set", "training.max_epochs=3", "--threads", "1");
        Cli cli = Cli.run("bench", xor, "--set", "training.max_epochs=3", "--threads", "1", "--profile");
        assertEquals(0, cli.exitCode(), cli.err());
        var lines = cli.outLines();
        assertEquals(plain.outLines().get(0), lines.get(0), "the kernels");
        assertTrue(lines.get(1).startsWith("xor on 1 thread: 12 examples in "), lines.get(1));
        assertEquals(PROFILE_COLUMNS, lines.get(3));
        var rows = profileRows(lines);
        assertEquals(4, rows.size(), cli.out());
        double ms = 0;
        for (int e = 0; e < 3; e++) {
            assertEquals(e + 1, rows.get(e)[0]);
            ms += rows.get(e)[7];
        }
        assertEquals(0, rows.get(3)[0], "the total last");
        assertEquals(ms, rows.get(3)[7], 0.002, "the epochs' milliseconds add up to the total's");
        assertEquals(
                List.of("update is the optimizer's step, which runs inside backward, each block of rows as soon as its"
                        + " gradient is computed; plain sgd on the native kernels steps inside the weight-gradient"
                        + " products, and that time counts as backward"),
                lines.subList(8, lines.size()));

        // Many epochs: the first, the last and evenly spaced ones between; after backward, no word of a fused update.
        Cli many = Cli.run(
                "bench",
                xor,
                "--set",
                "training.max_epochs=40",
                "--set",
                "training.clip_norm=1",
                "--threads",
                "2",
                "--profile");
        assertEquals(0, many.exitCode(), many.err());
        var manyRows = profileRows(many.outLines());
        assertEquals(12, manyRows.size(), many.out());
        assertEquals(1, manyRows.get(0)[0]);
        assertEquals(40, manyRows.get(10)[0]);
        for (int i = 1; i < 11; i++) assertTrue(manyRows.get(i)[0] > manyRows.get(i - 1)[0], many.out());
        var last = many.outLines().get(many.outLines().size() - 1);
        assertEquals(
                "on 2 threads, the shares are of the calling thread's wall time; the other threads run their parts of the"
                        + " products beside it",
                last);

        Cli json = Cli.run("bench", xor, "--set", "training.max_epochs=3", "--profile", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertEquals(1, json.outLines().size(), json.out());
        JsonNode profile = JSON.readTree(json.out()).get("profile");
        assertEquals("calling thread", profile.get("measured_on").asText());
        assertTrue(profile.get("fused_update").booleanValue());
        assertEquals(3, profile.get("epochs").size());
        double epochsMs = 0;
        for (JsonNode epoch : profile.get("epochs")) epochsMs += epoch.get("ms").doubleValue();
        assertEquals(epochsMs, profile.get("total").get("ms").doubleValue(), 1e-6);
        for (JsonNode times : List.of(profile.get("epochs").get(0), profile.get("total"))) {
            double shares = 0;
            for (String phase : List.of("forward", "backward", "update", "data_copy", "evaluation", "other"))
                shares += times.get(phase).doubleValue();
            assertEquals(1, shares, 1e-9, times.toString());
        }
        assertEquals(1, profile.get("epochs").get(0).get("epoch").intValue());
        Cli unprofiled = Cli.run("bench", xor, "--set", "training.max_epochs=3", "--json");
        assertTrue(JSON.readTree(unprofiled.out()).get("profile") == null, unprofiled.out());
    }
}
