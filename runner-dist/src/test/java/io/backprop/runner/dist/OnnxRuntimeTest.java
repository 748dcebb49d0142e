package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.backprop.runner.encoding.ColumnEncoder;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.table.Table;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.run.Json;
import io.backprop.runner.run.SavedModel;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.ExperimentReader;
import java.io.IOException;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exported models in a real runtime: every committed experiment (sweeps aside), trained shortened, exported in both
 * precisions, run by ONNX Runtime on its test split (its training split where it has none) against the runner's own
 * outputs, and passed through ONNX's own checker (Debian's python3-onnx). float64 agrees to 1e-12 and float32 to
 * 1e-5, relative to the larger of the value and 1 (an output near 0, a probability of 1e-9, is held to that
 * absolute error, not to digits it never had in float32).
 */
@Tag("services")
class OnnxRuntimeTest {
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

    static Stream<Named<Path>> experiments() throws IOException {
        List<Named<Path>> runnable = new ArrayList<>();
        for (Named<Path> e : ExperimentsTest.experiments().toList()) {
            if (!Files.readString(e.getPayload()).contains("\nsweep:")) runnable.add(e);
        }
        return runnable.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void everyExperimentRunsInOnnxRuntimeAsInTheRunner(Path file, @TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of(file.toString(), "--out", dir.toString(), "--quiet"));
        args.addAll(ExperimentsTest.quick(file));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        assertExportsMatch(ExperimentsTest.runDirectory(cli), dir);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "sigmoid",
                "tanh",
                "relu",
                "identity",
                "softplus",
                "{name: leaky-relu, alpha: 0.01}",
                "{name: leaky-relu, alpha: 0.25}",
                "{name: elu, alpha: 1.1}",
                "{name: elu, alpha: 0.5}"
            })
    void everyBuiltInActivationRunsInOnnxRuntimeAsInTheRunner(String activation, @TempDir Path dir) throws Exception {
        Cli cli = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("iris.yaml").toString(),
                "--out",
                dir.toString(),
                "--quiet",
                "--set",
                "training.max_epochs=20",
                "--set",
                "model.layers[0].activation=" + activation);
        assertEquals(0, cli.exitCode(), cli.err());
        assertExportsMatch(ExperimentsTest.runDirectory(cli), dir);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "data.train.missing_indicator=true data.train.min_frequency=40",
                "data.train.impute_categorical=constant data.train.impute_numeric=median data.train.missing_indicator=true",
                "data.train.impute_numeric=constant data.train.fill_value={bill_length_mm: -1}"
            })
    void everyEncodingOfPenguinsRunsInOnnxRuntimeAsInTheRunner(String settings, @TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                ExperimentsTest.EXPERIMENTS.resolve("penguins.yaml").toString(),
                "--out",
                dir.toString(),
                "--quiet",
                "--set",
                "training.max_epochs=5"));
        for (String setting : settings.split(" (?=data)")) args.addAll(List.of("--set", setting));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        Path run = ExperimentsTest.runDirectory(cli);
        String encoder = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.resolve("model.json").toFile())
                .get("encoder")
                .toString();
        if (settings.contains("min_frequency")) assertTrue(encoder.contains("\"infrequent\":[\"Torgersen\"]"), encoder);
        if (settings.contains("missing_indicator")) assertTrue(encoder.contains("\"indicator\":true"), encoder);
        assertExportsMatch(run, dir);
    }

    @org.junit.jupiter.api.Test
    void scaleLayersRunInOnnxRuntimeAsInTheRunner(@TempDir Path dir) throws Exception {
        Cli cli = Cli.run(ScaleLayerTest.experiment(dir).toString(), "--out", dir.toString(), "--quiet");
        assertEquals(0, cli.exitCode(), cli.err());
        assertExportsMatch(ExperimentsTest.runDirectory(cli), dir);
    }

    /** Exports {@code run} in both precisions, checks both files and compares them with the runner on the run's data. */
    private static void assertExportsMatch(Path run, Path dir) throws Exception {
        var experiment = ExperimentReader.read(run.resolve("config.yaml"), "config.yaml");
        Registry registry = Registry.builtIn().withPlugins(experiment.plugins());
        Setup setup = Setup.unpreprocessed(experiment, registry);
        Dataset data = setup.test() != null ? setup.test() : setup.train();
        SavedModel model = SavedModel.read(run.resolve("model.json"), "model.json", registry);
        Rows rows = model.encoder() == null ? Rows.of(data) : RawRows.of(experiment, model);
        double[] x = rows.x().clone();
        model.preprocess(x, rows.count());
        double[] expected = model.network(rows.count()).forward(x, rows.count()).clone();
        for (String precision : List.of("float64", "float32")) {
            Path onnx = dir.resolve(precision + ".onnx");
            Cli export = Cli.run(
                    "export", run.toString(), "--format", "onnx", "-o", onnx.toString(), "--precision", precision);
            assertEquals(0, export.exitCode(), export.err());
            assertEquals(onnx.toString(), export.out().strip());
            checkedByOnnx(onnx);
            compare(onnx, model, rows, expected, precision.equals("float64") ? 1e-12 : 1e-5);
        }
    }

    /**
     * The rows ONNX Runtime is given: {@code count} of them, {@code x} what the runner's network takes before
     * preprocessing, {@code inputs} the ONNX model's inputs in the given precision.
     */
    private interface Rows {
        int count();

        double[] x();

        Map<String, OnnxTensor> inputs(boolean float64) throws OrtException;

        /** A split's numeric inputs, as the single input {@code input}. */
        static Rows of(Dataset data) {
            return new Rows() {
                public int count() {
                    return data.rows();
                }

                public double[] x() {
                    return data.x();
                }

                public Map<String, OnnxTensor> inputs(boolean float64) throws OrtException {
                    return Map.of("input", numbers(data.x(), new long[] {data.rows(), data.inputs()}, float64));
                }
            };
        }
    }

    /**
     * A tabular model's rows as text: every row of the training file (so every split, and the rows with gaps), plus
     * a row whose categories training never saw, each encoded as predict encodes it; ONNX Runtime gets the
     * numeric columns as {@code input}, NaN for a gap, and each categorical one as its strings, as they stand in the file.
     */
    private record RawRows(
            List<String> columns, List<List<String>> cells, List<String> missing, ColumnEncoder encoder, double[] x)
            implements Rows {
        static RawRows of(io.backprop.runner.spec.Experiment experiment, SavedModel model) throws IOException {
            Path csv = experiment
                    .directory()
                    .resolve(experiment.data().train().params().get("path").text());
            List<String> lines =
                    Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
            List<String> header = List.of(lines.get(0).split(",", -1));
            ColumnEncoder encoder = model.encoder();
            List<String> columns = encoder.inputColumns();
            List<List<String>> cells = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                assertTrue(!line.contains("\""), "the test reads unquoted CSV only: " + line);
                List<String> row = List.of(line.split(",", -1));
                cells.add(columns.stream().map(c -> row.get(header.indexOf(c))).toList());
            }
            List<String> unseen = new ArrayList<>(cells.get(0));
            for (ColumnEncoder.Plan c : encoder.plans()) {
                if (c.type() == Table.Type.CATEGORICAL) unseen.set(columns.indexOf(c.name()), "never seen in training");
            }
            cells.add(unseen);
            double[] x = new double[cells.size() * model.inputs()];
            for (int r = 0; r < cells.size(); r++) {
                List<String> at = java.util.Collections.nCopies(columns.size(), csv + ":" + (r + 2));
                encoder.encodeText(cells.get(r), at, x, r * model.inputs(), new java.util.HashMap<>());
            }
            return new RawRows(columns, cells, encoder.missing(), encoder, x);
        }

        public int count() {
            return cells.size();
        }

        public Map<String, OnnxTensor> inputs(boolean float64) throws OrtException {
            Map<String, OnnxTensor> inputs = new java.util.HashMap<>();
            List<Integer> numeric = new ArrayList<>();
            for (ColumnEncoder.Plan c : encoder.plans()) {
                int i = columns.indexOf(c.name());
                if (c.type() == Table.Type.NUMERIC) {
                    numeric.add(i);
                } else {
                    String[] texts = cells.stream().map(row -> row.get(i)).toArray(String[]::new);
                    inputs.put(c.name(), OnnxTensor.createTensor(ORT, texts, new long[] {cells.size(), 1}));
                }
            }
            double[] v = new double[cells.size() * numeric.size()];
            for (int r = 0; r < cells.size(); r++) {
                for (int j = 0; j < numeric.size(); j++) {
                    String t = cells.get(r).get(numeric.get(j)).strip();
                    v[r * numeric.size() + j] = missing.contains(t) ? Double.NaN : Double.parseDouble(t);
                }
            }
            if (!numeric.isEmpty()) inputs.put("input", numbers(v, new long[] {cells.size(), numeric.size()}, float64));
            return inputs;
        }
    }

    private static OnnxTensor numbers(double[] v, long[] shape, boolean float64) throws OrtException {
        if (float64) return OnnxTensor.createTensor(ORT, DoubleBuffer.wrap(v), shape);
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
        return OnnxTensor.createTensor(ORT, FloatBuffer.wrap(f), shape);
    }

    private static void compare(Path onnx, SavedModel model, Rows rows, double[] expected, double tolerance)
            throws OrtException {
        try (var session = ORT.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            var metadata = session.getMetadata().getCustomMetadata();
            assertEquals(Json.line(model.columns()), metadata.get("columns"));
            boolean float64 = tolerance < 1e-9;
            Map<String, OnnxTensor> inputs = rows.inputs(float64);
            int n = rows.count();
            boolean regression = model.task() == Dataset.Task.REGRESSION;
            try (var result = session.run(inputs)) {
                double[] actual = values((OnnxTensor)
                        result.get(regression ? "value" : "probabilities").get());
                int k = model.outputs();
                double[] reference = expected;
                if (!regression && k == 1) {
                    // One sigmoid output: the file gives both classes' probabilities, as predict does.
                    reference = new double[2 * n];
                    for (int r = 0; r < n; r++) {
                        reference[2 * r] = 1 - expected[r];
                        reference[2 * r + 1] = expected[r];
                    }
                }
                assertEquals(reference.length, actual.length, "outputs");
                double worst = 0;
                for (int i = 0; i < actual.length; i++) {
                    worst = Math.max(worst, Math.abs(actual[i] - reference[i]) / Math.max(1, Math.abs(reference[i])));
                }
                System.out.printf(
                        java.util.Locale.ROOT,
                        "onnx: %s %s: worst difference %.3g (tolerance %.0g)%n",
                        metadata.get("experiment"),
                        metadata.get("precision"),
                        worst,
                        tolerance);
                assertTrue(
                        worst <= tolerance,
                        onnx.getFileName() + ": worst relative difference " + worst + " > " + tolerance);
                if (!regression) {
                    assertEquals(Json.line(model.classes()), metadata.get("classes"));
                    String[] classes =
                            (String[]) ((OnnxTensor) result.get("class").get()).getValue();
                    int width = k == 1 ? 2 : k;
                    String[] runner = new String[n];
                    for (int r = 0; r < n; r++) runner[r] = model.classes().get(Dataset.labelOf(reference, r, width));
                    if (!float64) return; // a near tie may fall the other way in float32
                    assertArrayEquals(runner, classes, "the class of each row");
                }
            } finally {
                for (OnnxTensor t : inputs.values()) t.close();
            }
        }
    }

    private static double[] values(OnnxTensor tensor) {
        if (tensor.getInfo().type == ai.onnxruntime.OnnxJavaType.DOUBLE) {
            DoubleBuffer b = tensor.getDoubleBuffer();
            double[] v = new double[b.remaining()];
            b.get(v);
            return v;
        }
        FloatBuffer b = tensor.getFloatBuffer();
        double[] v = new double[b.remaining()];
        for (int i = 0; i < v.length; i++) v[i] = b.get(i);
        return v;
    }

    /** ONNX's checker, with shape inference, on the file: python3-onnx. */
    static void checkedByOnnx(Path onnx) throws IOException, InterruptedException {
        var process = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)",
                        onnx.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "onnx.checker did not finish");
        assertEquals(0, process.exitValue(), "onnx.checker on " + onnx + ": " + out);
    }
}
