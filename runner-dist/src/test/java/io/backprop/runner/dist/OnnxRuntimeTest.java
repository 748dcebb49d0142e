package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.backprop.runner.engine.Setup;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.run.Json;
import io.backprop.runner.run.SavedModel;
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
    @ValueSource(strings = {"sigmoid", "tanh", "relu", "identity", "softplus", "{name: leaky-relu, alpha: 0.01}",
            "{name: leaky-relu, alpha: 0.25}", "{name: elu, alpha: 1.1}", "{name: elu, alpha: 0.5}"})
    void everyBuiltInActivationRunsInOnnxRuntimeAsInTheRunner(String activation, @TempDir Path dir) throws Exception {
        Cli cli = Cli.run(ExperimentsTest.EXPERIMENTS.resolve("iris.yaml").toString(), "--out", dir.toString(), "--quiet",
                "--set", "training.max_epochs=20", "--set", "model.layers[0].activation=" + activation);
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
        double[] x = data.x().clone();
        model.preprocess(x, data.rows());
        double[] expected = model.network(data.rows()).forward(x, data.rows()).clone();
        for (String precision : List.of("float64", "float32")) {
            Path onnx = dir.resolve(precision + ".onnx");
            Cli export = Cli.run("export", run.toString(), "--format", "onnx", "-o", onnx.toString(), "--precision", precision);
            assertEquals(0, export.exitCode(), export.err());
            assertEquals(onnx.toString(), export.out().strip());
            checkedByOnnx(onnx);
            compare(onnx, model, data, expected, precision.equals("float64") ? 1e-12 : 1e-5);
        }
    }

    private static void compare(Path onnx, SavedModel model, Dataset data, double[] expected, double tolerance) throws OrtException {
        try (var session = ORT.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            var metadata = session.getMetadata().getCustomMetadata();
            assertEquals(Json.line(model.columns()), metadata.get("columns"));
            boolean float64 = tolerance < 1e-9;
            long[] shape = {data.rows(), data.inputs()};
            OnnxTensor input;
            if (float64) {
                input = OnnxTensor.createTensor(ORT, DoubleBuffer.wrap(data.x()), shape);
            } else {
                float[] f = new float[data.x().length];
                for (int i = 0; i < f.length; i++) f[i] = (float) data.x()[i];
                input = OnnxTensor.createTensor(ORT, FloatBuffer.wrap(f), shape);
            }
            boolean regression = model.task() == Dataset.Task.REGRESSION;
            try (input; var result = session.run(Map.of("input", input))) {
                double[] actual = values((OnnxTensor) result.get(regression ? "value" : "probabilities").get());
                int k = model.outputs();
                double[] reference = expected;
                if (!regression && k == 1) {
                    // One sigmoid output: the file gives both classes' probabilities, as predict does.
                    reference = new double[2 * data.rows()];
                    for (int r = 0; r < data.rows(); r++) {
                        reference[2 * r] = 1 - expected[r];
                        reference[2 * r + 1] = expected[r];
                    }
                }
                assertEquals(reference.length, actual.length, "outputs");
                double worst = 0;
                for (int i = 0; i < actual.length; i++) {
                    worst = Math.max(worst, Math.abs(actual[i] - reference[i]) / Math.max(1, Math.abs(reference[i])));
                }
                System.out.printf(java.util.Locale.ROOT, "onnx: %s %s: worst difference %.3g (tolerance %.0g)%n",
                        metadata.get("experiment"), metadata.get("precision"), worst, tolerance);
                assertTrue(worst <= tolerance, onnx.getFileName() + ": worst relative difference " + worst + " > " + tolerance);
                if (!regression) {
                    assertEquals(Json.line(model.classes()), metadata.get("classes"));
                    String[] classes = (String[]) ((OnnxTensor) result.get("class").get()).getValue();
                    int width = k == 1 ? 2 : k;
                    String[] runner = new String[data.rows()];
                    for (int r = 0; r < data.rows(); r++) runner[r] = model.classes().get(Dataset.labelOf(reference, r, width));
                    if (!float64) return; // a near tie may fall the other way in float32
                    assertArrayEquals(runner, classes, "the class of each row");
                }
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
        var process = new ProcessBuilder("/usr/bin/python3", "-c",
                "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", onnx.toString())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "onnx.checker did not finish");
        assertEquals(0, process.exitValue(), "onnx.checker on " + onnx + ": " + out);
    }
}
