package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.backprop.runner.engine.GradientCheck;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.spec.SpecException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checks behind the contracts, as plain static methods, for tests that run them over many providers (a
 * {@code @ParameterizedTest} fed from the registry). Each fails with a JUnit assertion that says what is wrong.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public final class PluginChecks {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private PluginChecks() {}

    /** The kind whose provider interface {@code provider} implements. */
    public static PluginKind<?> kindOf(PluginProvider<?> provider) {
        return PluginKind.ALL.stream()
                .filter(k -> k.providerType().isInstance(provider))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(provider.getClass().getName() + " implements no provider interface"));
    }

    /** A kebab-case name, a one-line description, and parameters whose declarations hold together. */
    public static void checkDeclaration(PluginProvider<?> provider) {
        String name = provider.name();
        assertTrue(
                name != null && NAME.matcher(name).matches(), "name '" + name + "' is not kebab-case [a-z][a-z0-9-]*");
        String description = provider.description();
        assertTrue(
                description != null && !description.isBlank() && !description.contains("\n"),
                name + ": the description should be one line");
        var seen = new HashSet<String>();
        for (ParamSpec s : provider.parameters()) {
            assertTrue(seen.add(s.name()), name + ": parameter '" + s.name() + "' is declared twice");
            if (s.defaultValue() != null) {
                try {
                    RunnerPaths.resolve(provider, Map.of(s.name(), s.defaultValue()), Path.of("."));
                } catch (SpecException e) {
                    if (provider.parameters().stream().noneMatch(ParamSpec::required)) {
                        fail(name + ": the default of '" + s.name() + "' is outside its own range: " + e.getMessage());
                    }
                }
            }
        }
    }

    /** A provider class that its services file does not list is invisible to the runner. */
    public static void checkListedInServices(PluginProvider<?> provider) {
        PluginKind<?> kind = kindOf(provider);
        String file = "META-INF/services/" + kind.providerType().getName();
        boolean listed = ServiceLoader.load(
                        kind.providerType(), provider.getClass().getClassLoader())
                .stream()
                .anyMatch(p -> p.type() == provider.getClass());
        assertTrue(listed, provider.getClass().getName() + " is not listed in " + file);
    }

    /**
     * Values beyond each declared bound, outside the choices, of the wrong type or under unknown names are refused
     * by the runner's binding of an experiment's values, before create; {@code valid} are values it accepts.
     */
    public static void checkParameterValidation(PluginProvider<?> provider, Map<String, ?> valid) {
        RunnerPaths.resolve(provider, valid, Path.of("."));
        for (ParamSpec s : provider.parameters()) {
            if (s.type() == ParamSpec.Type.NUMBER || s.type() == ParamSpec.Type.INTEGER) {
                if (s.hasMin()) assertRefused(provider, valid, s.name(), below(s));
                if (s.hasMax())
                    assertRefused(
                            provider,
                            valid,
                            s.name(),
                            s.type() == ParamSpec.Type.INTEGER ? (Object) ((long) s.max() + 1) : s.max() * 2 + 1);
            }
            if (!s.choices().isEmpty()) assertRefused(provider, valid, s.name(), "no-such-choice");
            // A single value where a list belongs is a list of one, as in YAML; a string fits a string or a path.
            if (s.type() != ParamSpec.Type.STRING
                    && s.type() != ParamSpec.Type.PATH
                    && s.type() != ParamSpec.Type.LIST) {
                assertRefused(provider, valid, s.name(), "text");
            }
        }
        assertRefused(provider, valid, "no_such_parameter", 1.0);
    }

    private static Object below(ParamSpec s) {
        if (s.type() == ParamSpec.Type.INTEGER) return (long) s.min() - (s.minExclusive() ? 0 : 1);
        return s.minExclusive() ? s.min() : s.min() - Math.max(1, Math.abs(s.min()));
    }

    private static void assertRefused(PluginProvider<?> provider, Map<String, ?> valid, String name, Object value) {
        Map<String, Object> values = new LinkedHashMap<>(valid);
        values.put(name, value);
        assertThrows(
                SpecException.class,
                () -> RunnerPaths.resolve(provider, values, Path.of(".")),
                provider.name() + ": " + name + " = " + value + " should be refused");
    }

    /** Backward is the vector-Jacobian product of forward, for several batch shapes. */
    public static void checkActivationDerivative(Activation activation) {
        for (int[] shape : new int[][] {{1, 1}, {1, 5}, {4, 3}}) {
            var result = GradientCheck.activation(activation, shape[0], shape[1], shape[0] * 7L + shape[1]);
            assertTrue(result.passed(), "batch " + shape[0] + " x " + shape[1] + ": " + result.failure());
        }
    }

    /** Writes only the batch's entries, and gives the same delta when {@code dz} is {@code da} itself. */
    public static void checkActivationBuffers(Activation activation) {
        double[] z = {0.3, -0.7, 1.2, -1.9, 42};
        double[] a = {0, 0, 0, 0, -1};
        activation.forward(z, a, 2, 2);
        assertEquals(-1, a[4], "forward wrote past rows * cols");
        double[] da = {0.5, -0.25, 1, 2, 7};
        double[] separate = {0, 0, 0, 0, -1};
        activation.backward(z, a, da, separate, 2, 2);
        assertEquals(-1, separate[4], "backward wrote past rows * cols");
        activation.backward(z, a, da, da, 2, 2);
        assertArrayEquals(
                new double[] {separate[0], separate[1], separate[2], separate[3], 7},
                da,
                "backward in place (dz == da) must give the same delta");
    }

    /** The gradient is the derivative of the batch-mean loss, at outputs and targets the cost accepts. */
    public static void checkCostDerivative(Cost cost, double[] outputs, double[] targets, int rows, int cols) {
        var result = GradientCheck.cost(cost, outputs.clone(), targets, rows, cols);
        assertTrue(result.passed(), result.failure());
        assertTrue(Double.isFinite(cost.loss(outputs, targets, rows, cols)), "the loss is not finite");
    }

    /** Five hundred steps on {@code f(w) = 1/2 |w - c|^2} take at least a tenth off it, at the default settings' pace. */
    public static void checkOptimizerDescends(Optimizer optimizer) {
        double[] w = {3, -2, 1, 0.5};
        double[] target = {1, 1, -1, 0};
        double[] gradient = new double[4];
        optimizer.prepare(new int[] {4});
        double start = bowl(w, target, gradient);
        for (int epoch = 1; epoch <= 500; epoch++) {
            optimizer.scaleLearningRate(1);
            bowl(w, target, gradient);
            optimizer.step(0, w, gradient, 4);
        }
        double end = bowl(w, target, gradient);
        assertTrue(
                Double.isFinite(end) && end < 0.9 * start,
                "1/2 |w - c|^2 went from " + start + " to " + end + " in 500 steps");
    }

    /**
     * An optimizer that says it is {@link Optimizer#elementwise()} gives, step after step, the same bits whether each
     * array is updated whole or in ranges (as the engine's threads update it). One that does not is left alone.
     */
    public static void checkElementwiseSteps(Supplier<Optimizer> fresh) {
        Optimizer whole = fresh.get();
        Optimizer ranges = fresh.get();
        if (!whole.elementwise()) return;
        var random = new SplittableRandom(5);
        int[] lengths = {37, 5};
        whole.prepare(lengths);
        ranges.prepare(lengths);
        double[][] a = {
            random.doubles(37, -1, 1).toArray(), random.doubles(5, -1, 1).toArray()
        };
        double[][] b = {a[0].clone(), a[1].clone()};
        for (int step = 1; step <= 20; step++) {
            whole.scaleLearningRate(1.0 / step);
            ranges.scaleLearningRate(1.0 / step);
            for (int slot = 0; slot < 2; slot++) {
                double[] gradient = random.doubles(lengths[slot], -1, 1).toArray();
                whole.step(slot, a[slot], gradient, lengths[slot]);
                int cut = lengths[slot] / 3;
                ranges.step(slot, b[slot], gradient, cut, lengths[slot]);
                ranges.step(slot, b[slot], gradient, 0, cut);
                assertArrayEquals(a[slot], b[slot], "step " + step + ", slot " + slot + ": whole and in two ranges");
            }
        }
    }

    /**
     * An optimizer that gives a {@link Optimizer#plainRate()} is elementwise, and every step it takes is, to the bit,
     * {@code params[i] -= rate * gradient[i]} at the rate it gave just before, through a schedule that changes it: the
     * engine may take that step in its place. One whose plain rate is NaN is left alone.
     */
    public static void checkPlainSteps(Supplier<Optimizer> fresh) {
        Optimizer optimizer = fresh.get();
        int[] lengths = {37, 5};
        optimizer.prepare(lengths);
        optimizer.scaleLearningRate(1);
        if (Double.isNaN(optimizer.plainRate())) return;
        assertTrue(optimizer.elementwise(), "an optimizer with a plain rate must be elementwise");
        var random = new SplittableRandom(7);
        double[][] w = {
            random.doubles(37, -1, 1).toArray(), random.doubles(5, -1, 1).toArray()
        };
        for (int step = 1; step <= 20; step++) {
            optimizer.scaleLearningRate(1.0 / step);
            double rate = optimizer.plainRate();
            assertFalse(Double.isNaN(rate), "step " + step + ": the plain rate became NaN");
            for (int slot = 0; slot < 2; slot++) {
                double[] gradient = random.doubles(lengths[slot], -1, 1).toArray();
                double[] expected = w[slot].clone();
                for (int i = 0; i < expected.length; i++) expected[i] -= rate * gradient[i];
                optimizer.step(slot, w[slot], gradient, 0, lengths[slot]);
                assertArrayEquals(
                        expected,
                        w[slot],
                        "step " + step + ", slot " + slot + ": not params -= " + rate + " * gradient");
            }
        }
    }

    /** f(w) = 1/2 |w - c|^2; fills its gradient w - c. */
    private static double bowl(double[] w, double[] c, double[] gradient) {
        double f = 0;
        for (int i = 0; i < w.length; i++) {
            gradient[i] = w[i] - c[i];
            f += gradient[i] * gradient[i] / 2;
        }
        return f;
    }

    /**
     * Fed fifty epochs of a run whose validation loss turns up after epoch 10, the rule answers each one, and a
     * reason to stop is not blank; a metric it restores by or monitors is one runs measure.
     */
    public static void checkStoppingRule(StoppingRule rule) {
        List<Optional<String>> answers = answers(rule);
        Optional<String> reason = answers.get(answers.size() - 1);
        if (reason.isPresent()) assertFalse(reason.get().isBlank(), "a rule that stops a run says why");
        String restore = rule.restoreBestBy();
        assertTrue(
                restore == null || Metric.keys(Metric.MONITORABLE).contains(restore),
                "restores by an unknown metric: " + restore);
        for (Metric monitor : rule.monitors()) {
            assertTrue(Metric.MONITORABLE.contains(monitor), "monitors a metric runs do not measure: " + monitor);
        }
    }

    /**
     * What {@code rule} answers, epoch by epoch, fed fifty epochs of a run whose validation loss turns up after epoch
     * 10, up to the epoch it stops at.
     */
    public static List<Optional<String>> answers(StoppingRule rule) {
        List<Optional<String>> answers = new ArrayList<>();
        for (int epoch = 1; epoch <= 50; epoch++) {
            double loss = 1.0 / epoch;
            var metrics = new EpochMetrics(
                    epoch,
                    Map.of(
                            Metric.TRAIN_LOSS.key(),
                            loss,
                            Metric.TRAIN_ACCURACY.key(),
                            1 - loss / 2,
                            Metric.VALIDATION_LOSS.key(),
                            loss + 0.01 * Math.max(0, epoch - 10),
                            Metric.VALIDATION_ACCURACY.key(),
                            1 - loss,
                            Metric.SECONDS.key(),
                            0.01));
            Optional<String> reason = rule.afterEpoch(metrics);
            answers.add(reason);
            if (reason.isPresent()) break;
        }
        return answers;
    }

    /**
     * Two optimizers from one {@code fresh} supplier, stepped in turn on arrays of their own, each give the bits of
     * an optimizer stepped alone: they share no state.
     */
    public static void checkOwnState(Supplier<Optimizer> fresh) {
        int[] lengths = {6};
        double[] alone = {3, -2, 1, 0.5, -1, 2};
        double[] a = alone.clone();
        double[] b = alone.clone();
        Optimizer reference = fresh.get();
        Optimizer first = fresh.get();
        Optimizer second = fresh.get();
        for (Optimizer o : List.of(reference, first, second)) o.prepare(lengths);
        var random = new SplittableRandom(3);
        for (int step = 1; step <= 10; step++) {
            double[] gradient = random.doubles(6, -1, 1).toArray();
            for (Optimizer o : List.of(reference, first, second)) o.scaleLearningRate(1);
            reference.step(0, alone, gradient, 6);
            first.step(0, a, gradient, 6);
            second.step(0, b, gradient.clone(), 6);
        }
        assertArrayEquals(
                alone, a, "an optimizer stepped beside another from the same create went elsewhere: shared state?");
        assertArrayEquals(
                alone, b, "an optimizer stepped beside another from the same create went elsewhere: shared state?");
    }

    /**
     * Loads finite examples of consistent shape (classification targets 0/1 or one-hot, one name per class), the
     * same twice for the same seed.
     */
    public static void checkDataSource(DataSource source, Path directory) {
        Dataset d = source.load(new DataContext(directory, 42));
        assertTrue(d.rows() >= 1, "no examples");
        for (double v : d.x()) assertTrue(Double.isFinite(v), "an input is not finite");
        for (double v : d.y()) assertTrue(Double.isFinite(v), "a target is not finite");
        if (d.task() == Dataset.Task.CLASSIFICATION) {
            assertEquals(d.outputs() == 1 ? 2 : d.outputs(), d.classes().size(), "one class name per class");
            for (int r = 0; r < d.rows(); r++) {
                double sum = 0;
                for (int j = 0; j < d.outputs(); j++) {
                    double v = d.y()[r * d.outputs() + j];
                    assertTrue(v == 0 || v == 1, "classification targets are 0 or 1 (one-hot), got " + v);
                    sum += v;
                }
                assertTrue(d.outputs() == 1 || sum == 1, "row " + r + " is not one-hot");
            }
        }
        Dataset again = source.load(new DataContext(directory, 42));
        assertArrayEquals(d.x(), again.x(), "the same seed must give the same inputs");
        assertArrayEquals(d.y(), again.y(), "the same seed must give the same targets");
    }

    /**
     * Opens the exporter on a registry with a loss gauge, in a new directory, feeds it three epochs and closes it;
     * nothing may throw, and the exporter must take its registries out of the run's again.
     */
    public static void checkExporterLifecycle(MetricsExporter exporter) throws IOException {
        Path dir = Files.createTempDirectory("exporter-check");
        try {
            checkExporterLifecycle(exporter, dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    private static void checkExporterLifecycle(MetricsExporter exporter, Path dir) throws IOException {
        var registry = new CompositeMeterRegistry();
        registry.config().commonTags("experiment", "check", "run", "r1");
        double[] loss = {1};
        Gauge.builder("runner.loss", loss, v -> v[0]).tag("split", "train").register(registry);
        try (exporter) {
            exporter.open(new ExportContext("check", "r1", dir, registry, System.err, 1));
            for (int epoch = 1; epoch <= 3; epoch++) {
                loss[0] = 1.0 / epoch;
                exporter.epochEnded(
                        new EpochMetrics(epoch, Map.of(Metric.TRAIN_LOSS.key(), loss[0], Metric.SECONDS.key(), 0.01)));
            }
        }
        assertTrue(
                registry.getRegistries().isEmpty(),
                "the exporter left registries in the run's: " + registry.getRegistries());
        registry.close();
    }

    /**
     * Asked as the runner asks (a layer's weights unit by unit, {@code fanOut} rows of {@code fanIn}, then its biases),
     * fills exactly {@code length} values, all finite, the same for the same random stream.
     */
    public static void checkInitializer(Initializer initializer) {
        int layer = 0;
        for (int[] shape : new int[][] {{3, 4}, {1, 1}, {10, 2}}) {
            int fanIn = shape[0];
            int fanOut = shape[1];
            int length = fanIn * fanOut;
            double[] first = new double[length + 1];
            first[length] = 123;
            initializer.initialize(first, length, layer, false, fanIn, fanOut, new SplittableRandom(9));
            assertEquals(123, first[length], "wrote past length");
            for (double v : first) assertTrue(Double.isFinite(v), "a value is not finite: " + v);
            double[] second = new double[length + 1];
            second[length] = 123;
            initializer.initialize(second, length, layer, false, fanIn, fanOut, new SplittableRandom(9));
            assertArrayEquals(first, second, "the same random stream must give the same values");
            double[] bias = new double[fanOut + 1];
            bias[fanOut] = 123;
            initializer.initialize(bias, fanOut, layer, true, fanIn, fanOut, new SplittableRandom(1));
            assertEquals(123, bias[fanOut], "wrote past a bias vector");
            for (double v : bias) assertTrue(Double.isFinite(v), "a bias is not finite: " + v);
            layer++;
        }
    }
}
