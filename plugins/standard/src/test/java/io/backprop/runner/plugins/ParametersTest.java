package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugins.initializer.ConstantInitializerProvider;
import io.backprop.runner.plugins.initializer.NormalInitializerProvider;
import io.backprop.runner.plugins.initializer.UniformInitializerProvider;
import io.backprop.runner.plugins.initializer.ZerosInitializerProvider;
import io.backprop.runner.plugins.optimizer.SgdOptimizerProvider;
import io.backprop.runner.plugins.stopping.TargetLossStoppingRuleProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each provider's declared parameters: their defaults, and that every one of them reaches the component. */
class ParametersTest {
    private static Map<String, Object> defaults(PluginProvider<?> p) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ParamSpec s : p.parameters()) m.put(s.name(), s.defaultValue());
        return m;
    }

    private static double[] fill(InitializerProvider p, Map<String, ?> values, int n, long seed) {
        Initializer init = p.create(Params.of(p, values));
        double[] x = new double[n + 1];
        x[n] = 123;
        init.initialize(x, n, 3, 4, new SplittableRandom(seed));
        assertEquals(123, x[n], "wrote past length");
        return java.util.Arrays.copyOf(x, n);
    }

    @Test
    void recordedDefaults() {
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("zeros", Map.of());
        expected.put("constant", Map.of("value", 0.0));
        expected.put("normal", Map.of("mean", 0.0, "std", 1.0));
        expected.put("uniform", Map.of("low", -0.05, "high", 0.05));
        expected.put("sgd", Map.of("learning_rate", 0.1));
        var target = new LinkedHashMap<String, Object>();
        target.put("below", null);
        target.put("monitor", "train_loss");
        expected.put("target-loss", target);
        for (PluginProvider<?> p : List.of(
                new ZerosInitializerProvider(),
                new ConstantInitializerProvider(),
                new NormalInitializerProvider(),
                new UniformInitializerProvider(),
                new SgdOptimizerProvider(),
                new TargetLossStoppingRuleProvider())) {
            assertEquals(expected.get(p.name()), defaults(p), p.name());
        }
        for (var kind : PluginKind.ALL) {
            for (var p : StandardPlugins.registry().providers(kind)) {
                if (p.parameters().stream().noneMatch(ParamSpec::required)) Params.defaults(p);
            }
        }
    }

    @Test
    void constantAndZerosFillEveryValueAndDrawNothing() {
        assertArrayEquals(
                new double[] {2.5, 2.5, 2.5}, fill(new ConstantInitializerProvider(), Map.of("value", 2.5), 3, 1));
        assertArrayEquals(new double[3], fill(new ZerosInitializerProvider(), Map.of(), 3, 1));
    }

    @Test
    void normalUsesMeanAndStd() {
        double[] x = fill(new NormalInitializerProvider(), Map.of("mean", 3.0, "std", 0.5), 20_000, 2);
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double var =
                java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / x.length;
        assertEquals(3.0, mean, 0.02);
        assertEquals(0.5, Math.sqrt(var), 0.02);
        assertArrayEquals(x, fill(new NormalInitializerProvider(), Map.of("mean", 3.0, "std", 0.5), 20_000, 2));
    }

    @Test
    void uniformUsesLowAndHighAndRefusesAnEmptyRange() {
        double[] x = fill(new UniformInitializerProvider(), Map.of("low", -1.0, "high", 1.0), 4, 18);
        var random = new SplittableRandom(18);
        for (double v : x) assertEquals(2 * random.nextDouble() - 1, v, 0.0);
        double[] y = fill(new UniformInitializerProvider(), Map.of("low", 2.0, "high", 2.5), 1000, 3);
        for (double v : y) assertTrue(v >= 2 && v < 2.5, Double.toString(v));
        var p = new UniformInitializerProvider();
        var e = assertThrows(PluginException.class, () -> p.create(Params.of(p, Map.of("low", 1.0, "high", 1.0))));
        assertEquals("low (1.0) must be below high (1.0)", e.getMessage());
    }

    @Test
    void fanScaledInitializersHaveTheirVariance() {
        // fan_in 300, fan_out 100: Xavier variance 2 / 400, He 2 / 300, LeCun 1 / 300.
        Map<String, Double> variance = Map.of(
                "xavier-normal",
                2.0 / 400,
                "xavier-uniform",
                2.0 / 400,
                "he-normal",
                2.0 / 300,
                "he-uniform",
                2.0 / 300,
                "lecun-normal",
                1.0 / 300);
        variance.forEach((name, expected) -> {
            var p = StandardPlugins.registry().providers(PluginKind.INITIALIZER).stream()
                    .filter(i -> i.name().equals(name))
                    .findFirst()
                    .orElseThrow();
            double[] w = new double[30_000];
            p.create(Params.of(p, Map.of("gain", 2.0))).initialize(w, w.length, 300, 100, new SplittableRandom(1));
            double v = java.util.Arrays.stream(w).map(x -> x * x).average().orElseThrow();
            assertEquals(4 * expected, v, 4 * expected * 0.03, name);
            if (name.endsWith("uniform")) {
                double limit = 2 * Math.sqrt(3 * expected);
                assertTrue(java.util.Arrays.stream(w).allMatch(x -> Math.abs(x) <= limit), name + " beyond its limit");
            }
        });
    }

    @Test
    void sgdStepsByTheLearningRate() {
        var p = new SgdOptimizerProvider();
        var sgd = p.create(Params.of(p, Map.of("learning_rate", 0.25)));
        double[] w = {1, 2, 9};
        sgd.step(0, w, new double[] {4, -8, 100}, 2);
        assertArrayEquals(new double[] {0, 4, 9}, w);
        assertEquals(0.25, sgd.learningRate());
        assertThrows(IllegalArgumentException.class, () -> Params.of(p, Map.of("learning_rate", 0.0)));
    }

    @Test
    void momentumAndAdamTakeTheirTextbookSteps() {
        var momentum = new io.backprop.runner.plugins.optimizer.MomentumOptimizerProvider();
        for (boolean nesterov : new boolean[] {false, true}) {
            var o = momentum.create(
                    Params.of(momentum, Map.of("learning_rate", 0.1, "momentum", 0.5, "nesterov", nesterov)));
            o.prepare(new int[] {1});
            double[] w = {1};
            o.step(0, w, new double[] {2}, 1); // v = -0.2
            assertEquals(nesterov ? 1 - 0.1 - 0.2 : 1 - 0.2, w[0], 1e-15);
            o.step(0, w, new double[] {2}, 1); // v = -0.1 - 0.2 = -0.3
            assertEquals(nesterov ? 0.7 - 0.15 - 0.2 : 0.8 - 0.3, w[0], 1e-15);
        }
        var adam = new io.backprop.runner.plugins.optimizer.AdamOptimizerProvider();
        var a = adam.create(Params.of(adam, Map.of("learning_rate", 0.01)));
        a.prepare(new int[] {2});
        double[] w = {1, 1};
        a.step(0, w, new double[] {4, -0.001}, 2);
        // The first bias-corrected step is alpha * sign(g), whatever the gradient's size.
        assertEquals(1 - 0.01, w[0], 1e-9);
        assertEquals(1 + 0.01, w[1], 1e-6);
        a.scaleLearningRate(0.5);
        assertEquals(0.005, a.learningRate());
    }

    @Test
    void schedulesScaleTheRateAsDocumented() {
        Map<String, Map<String, ?>> settings = Map.of(
                "constant",
                Map.of(),
                "step",
                Map.of("every", 3L, "factor", 0.1),
                "exponential",
                Map.of("decay", 0.5),
                "cosine",
                Map.of("min_factor", 0.2));
        double[][] expected = {
            {1, 1, 1, 1, 1},
            {1, 1, 1, 0.1, 0.1},
            {1, 0.5, 0.25, 0.125, 0.0625},
            {
                1,
                0.2 + 0.8 * 0.5 * (1 + Math.cos(Math.PI / 4)),
                0.6,
                0.2 + 0.8 * 0.5 * (1 + Math.cos(3 * Math.PI / 4)),
                0.2
            }
        };
        String[] names = {"constant", "step", "exponential", "cosine"};
        for (int k = 0; k < names.length; k++) {
            String name = names[k];
            var p = StandardPlugins.registry().providers(PluginKind.SCHEDULE).stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst()
                    .orElseThrow();
            var schedule = p.create(Params.of(p, settings.get(name)));
            for (int epoch = 1; epoch <= 5; epoch++)
                assertEquals(expected[k][epoch - 1], schedule.factor(epoch, 5), 1e-12, name + " epoch " + epoch);
        }
    }

    private static StoppingRule rule(String name, Map<String, ?> values) {
        var p = StandardPlugins.registry().providers(PluginKind.STOPPING_RULE).stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow();
        return p.create(Params.of(p, values));
    }

    private static EpochMetrics epoch(int epoch, double validationLoss, double validationAccuracy) {
        return new EpochMetrics(
                epoch,
                Map.of(
                        "train_loss",
                        1.0 / epoch,
                        "validation_loss",
                        validationLoss,
                        "validation_accuracy",
                        validationAccuracy,
                        "seconds",
                        0.25));
    }

    @Test
    void earlyStoppingWaitsPatienceEpochsAfterTheBestAndRestoresIt() {
        StoppingRule rule = rule("early-stopping", Map.of("patience", 3L, "min_delta", 0.01));
        double[] losses = {0.9, 0.5, 0.4, 0.395, 0.41, 0.392};
        List<String> reasons = new java.util.ArrayList<>();
        for (int e = 1; e <= losses.length; e++)
            reasons.add(rule.afterEpoch(epoch(e, losses[e - 1], 0)).orElse(""));
        // 0.395 and 0.392 improve on 0.4 by less than min_delta: epoch 3 stays the best, and epoch 6 is its third
        // after.
        assertEquals(
                List.of(
                        "",
                        "",
                        "",
                        "",
                        "",
                        "validation_loss has not improved by more than 0.01 for 3 epochs (best 0.400000 at epoch 3)"),
                reasons);
        assertEquals("validation_loss", rule.restoreBestBy());
        assertEquals(null, rule("early-stopping", Map.of("restore_best", false)).restoreBestBy());
        StoppingRule accuracy = rule("early-stopping", Map.of("monitor", "validation_accuracy", "patience", 1L));
        assertTrue(accuracy.afterEpoch(epoch(1, 1, 0.5)).isEmpty());
        assertTrue(accuracy.afterEpoch(epoch(2, 1, 0.7)).isEmpty(), "accuracy improves upwards");
        assertEquals(
                "validation_accuracy has not improved for 1 epoch (best 0.700000 at epoch 2)",
                accuracy.afterEpoch(epoch(3, 0.1, 0.6)).orElseThrow());
    }

    @Test
    void timeLimitAndPlateauFireWhenTheyShould() {
        StoppingRule time = rule("time-limit", Map.of("seconds", 1.0));
        assertTrue(time.afterEpoch(epoch(1, 1, 0)).isEmpty());
        assertTrue(time.afterEpoch(epoch(2, 1, 0)).isEmpty());
        assertTrue(time.afterEpoch(epoch(3, 1, 0)).isEmpty());
        assertEquals(
                "time limit of 1.0 s reached (1.00 s)",
                time.afterEpoch(epoch(4, 1, 0)).orElseThrow());
        StoppingRule plateau = rule("plateau", Map.of("window", 2L, "tolerance", 0.1));
        assertTrue(plateau.afterEpoch(new EpochMetrics(1, Map.of("train_loss", 1.0)))
                .isEmpty());
        assertTrue(plateau.afterEpoch(new EpochMetrics(2, Map.of("train_loss", 0.5)))
                .isEmpty());
        assertTrue(
                plateau.afterEpoch(new EpochMetrics(3, Map.of("train_loss", 0.45)))
                        .isEmpty(),
                "fell 55% over the window");
        assertTrue(
                plateau.afterEpoch(new EpochMetrics(4, Map.of("train_loss", 0.44)))
                        .isEmpty(),
                "fell 12% over the window");
        assertEquals(
                "train_loss fell by 4.44% over the last 2 epochs, less than 10.0%",
                plateau.afterEpoch(new EpochMetrics(5, Map.of("train_loss", 0.43)))
                        .orElseThrow());
        StoppingRule oneEpoch = rule("plateau", Map.of("window", 1L, "tolerance", 0.1));
        assertTrue(oneEpoch.afterEpoch(new EpochMetrics(1, Map.of("train_loss", 1.0)))
                .isEmpty());
        assertEquals(
                "train_loss fell by 5.00% over the last epoch, less than 10.0%",
                oneEpoch.afterEpoch(new EpochMetrics(2, Map.of("train_loss", 0.95)))
                        .orElseThrow());
    }

    @Test
    void targetAccuracyFiresAtItsTarget() {
        StoppingRule rule = rule("target-accuracy", Map.of("at_least", 0.9));
        assertTrue(rule.afterEpoch(new EpochMetrics(1, Map.of("train_accuracy", 0.89)))
                .isEmpty());
        assertEquals(
                "train_accuracy 0.9000 >= 0.9",
                rule.afterEpoch(new EpochMetrics(2, Map.of("train_accuracy", 0.9)))
                        .orElseThrow());
    }

    @Test
    void targetLossWatchesTheChosenLoss() {
        var p = new TargetLossStoppingRuleProvider();
        StoppingRule train = p.create(Params.of(p, Map.of("below", 0.1)));
        StoppingRule validation = p.create(Params.of(p, Map.of("below", 0.1, "monitor", "validation_loss")));
        var epoch = new EpochMetrics(3, Map.of("train_loss", 0.05, "validation_loss", 0.2));
        assertEquals("train_loss 0.0500000 < 0.1", train.afterEpoch(epoch).orElseThrow());
        assertTrue(validation.afterEpoch(epoch).isEmpty());
        assertTrue(validation
                .afterEpoch(new EpochMetrics(4, Map.of("train_loss", 0.5, "validation_loss", 0.09)))
                .isPresent());
        assertThrows(IllegalArgumentException.class, () -> Params.of(p, Map.of()), "below is required");
        assertThrows(
                PluginException.class, () -> validation.afterEpoch(new EpochMetrics(1, Map.of("train_loss", 1.0))));
    }
}
