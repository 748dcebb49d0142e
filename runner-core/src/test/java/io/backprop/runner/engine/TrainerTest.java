package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static Dataset regression(int rows, long seed) {
        var random = new SplittableRandom(seed);
        double[] x = NetworkTest.uniform(rows * 2, random);
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) y[r] = 0.5 * x[2 * r] - 0.3 * x[2 * r + 1];
        return new Dataset(x, y, rows, 2, 1, Dataset.Task.REGRESSION, List.of());
    }

    private static Network network(int batch) {
        return NetworkTest.random(
                2, new int[] {4, 1}, new Activation[] {TestParts.softsign(), TestParts.softsign()}, batch, 1);
    }

    /** As {@link #network}, with a scale layer between the two dense ones. */
    private static Network scaledNetwork(int batch) {
        var dense = network(batch);
        var network = new Network(
                2, List.of(dense.layer(0), new ScaleLayer(4, TestParts.softsign(), batch), dense.layer(1)), batch);
        java.util.Arrays.fill(network.slots(1).get(0).values(), 1);
        return network;
    }

    private static List<EpochMetrics> train(
            Network network, double learningRate, boolean shuffle, long seed, int epochs) {
        List<EpochMetrics> seen = new ArrayList<>();
        new Trainer(
                        network,
                        TestParts.logCosh(),
                        TestParts.sgd(learningRate),
                        (e, m) -> 1,
                        List.of(),
                        new TrainingSettings(0.01, epochs, shuffle, seed, 1, 0))
                .train(regression(10, 5), null, (m, n) -> seen.add(m));
        return seen;
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndLosses() {
        Network a = network(3);
        Network b = network(3);
        var first = train(a, 0.1, true, 42, 30);
        var second = train(b, 0.1, true, 42, 30);
        assertArrayEquals(a.weights(0), b.weights(0));
        assertArrayEquals(a.weights(1), b.weights(1));
        for (int e = 0; e < 30; e++)
            assertEquals(first.get(e).get("train_loss"), second.get(e).get("train_loss"));
    }

    /** A layer wide enough that the products and the parameter update are split between threads. */
    private static List<EpochMetrics> trainWide(
            Network network, io.backprop.runner.plugin.Optimizer optimizer, int threads, double clipNorm) {
        var random = new SplittableRandom(8);
        int rows = 64;
        double[] x = new double[rows * 300];
        for (int i = 0; i < x.length; i++) x[i] = random.nextInt(3) == 0 ? 0 : random.nextGaussian();
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) y[r] = Math.tanh(x[r * 300] - x[r * 300 + 1]);
        var data = new Dataset(x, y, rows, 300, 1, Dataset.Task.REGRESSION, List.of());
        List<EpochMetrics> seen = new ArrayList<>();
        Outcome outcome = new Trainer(
                        network,
                        TestParts.logCosh(),
                        optimizer,
                        (e, m) -> 1,
                        List.of(),
                        new TrainingSettings(1e-3, 4, true, 9, threads, clipNorm))
                .train(data, null, (m, n) -> seen.add(m));
        if (threads > 1) {
            // 16 batches: the first trial of ThreadChoice runs some on every thread and some on the caller alone.
            assertTrue(
                    outcome.parallelShare() > 0 && outcome.parallelShare() < 1,
                    "both ways ran: " + outcome.parallelShare());
        }
        return seen;
    }

    @Test
    void everyThreadCountGivesTheBitsOfOne() {
        // Each precision's first run (elementwise SGD, stepped by the fused update on one thread), which the plain
        // SGD, stepped inside the weight-gradient products, must equal to the bit.
        var stepped = new java.util.EnumMap<Precision, Network>(Precision.class);
        var steppedMetrics = new java.util.EnumMap<Precision, List<EpochMetrics>>(Precision.class);
        for (int variant = 0; variant < 6; variant++) {
            boolean elementwise = variant != 1;
            boolean plain = variant >= 4;
            double clipNorm = variant == 2 ? 0.05 : 0;
            Precision precision = variant == 3 || variant == 5 ? Precision.FLOAT32 : Precision.FLOAT64;
            Network one = plain ? stepped.get(precision) : null;
            List<EpochMetrics> oneMetrics = plain ? steppedMetrics.get(precision) : null;
            for (int threads : new int[] {1, 2, 3}) {
                Network network = NetworkTest.random(
                        300, new int[] {128, 1}, new Activation[] {TestParts.softsign(), TestParts.softsign()}, 16, 2);
                network.usePrecision(precision);
                assertTrue(network.weights(0).length >= FusedUpdate.PARALLEL_THRESHOLD, "the update is split");
                var optimizer = plain
                        ? TestParts.plainSgd(0.05)
                        : elementwise ? TestParts.elementwiseSgd(0.05) : TestParts.sgd(0.05);
                var metrics = trainWide(network, optimizer, threads, clipNorm);
                if (one == null) {
                    one = network;
                    oneMetrics = metrics;
                    if (variant == 0 || variant == 3) {
                        stepped.put(precision, network);
                        steppedMetrics.put(precision, metrics);
                    }
                    continue;
                }
                for (int l = 0; l < 2; l++) {
                    assertArrayEquals(
                            one.weights(l),
                            network.weights(l),
                            threads + " threads, " + precision + ", clip " + clipNorm + (plain ? ", plain" : "")
                                    + ", layer " + l);
                    assertArrayEquals(one.biases(l), network.biases(l), threads + " threads, layer " + l);
                }
                for (int e = 0; e < metrics.size(); e++) {
                    var expected = new java.util.HashMap<>(oneMetrics.get(e).values());
                    var actual = new java.util.HashMap<>(metrics.get(e).values());
                    expected.remove("seconds");
                    actual.remove("seconds");
                    assertEquals(
                            expected, actual, threads + " threads, epoch " + (e + 1) + ": every metric but the time");
                }
            }
        }
    }

    @Test
    void theSeedDrivesTheShuffle() {
        Network a = network(3);
        Network b = network(3);
        train(a, 0.1, true, 1, 5);
        train(b, 0.1, true, 2, 5);
        assertFalse(java.util.Arrays.equals(a.weights(0), b.weights(0)));
    }

    @Test
    void trainingLowersTheLossAndReportsEveryEpoch() {
        var seen = train(network(4), 0.2, true, 3, 200);
        assertEquals(200, seen.size());
        assertEquals(1, seen.get(0).epoch());
        assertTrue(
                seen.get(199).get("train_loss") < seen.get(0).get("train_loss") / 2,
                seen.get(0).get("train_loss") + " -> " + seen.get(199).get("train_loss"));
        assertTrue(seen.get(0).has("train_rmse"));
        assertFalse(seen.get(0).has("validation_loss"));
    }

    @Test
    void aHugeLearningRateDivergesAndSaysWhen() {
        var unbounded = NetworkTest.random(
                2, new int[] {4, 1}, new Activation[] {TestParts.softsign(), TestParts.identity()}, 10, 1);
        var trainer = new Trainer(
                unbounded,
                TestParts.logCosh(),
                TestParts.sgd(1e300),
                (e, m) -> 1,
                List.of(),
                new TrainingSettings(0, 100, false, 1, 1, 0));
        var outcome = trainer.train(regression(10, 5), null, (m, n) -> {});
        assertEquals(Outcome.Status.DIVERGED, outcome.status());
        assertTrue(outcome.epochs() < 100);
        assertTrue(outcome.stopReason().startsWith("the loss became"), outcome.stopReason());
    }

    @Test
    void aStoppingRuleEndsTheRunWithItsReason() {
        var trainer = new Trainer(
                network(10),
                TestParts.logCosh(),
                TestParts.sgd(0.1),
                (e, m) -> 1,
                List.of(new NamedRule("at-seven", m -> m.epoch() == 7 ? Optional.of("seven") : Optional.empty())),
                new TrainingSettings(0, 100, true, 1, 1, 0));
        var outcome = trainer.train(regression(10, 5), regression(5, 6), (m, n) -> {});
        assertEquals(Outcome.Status.STOPPED, outcome.status());
        assertEquals("seven", outcome.stopReason());
        assertEquals("at-seven", outcome.stoppedBy());
        assertEquals(7, outcome.epochs());
        assertTrue(outcome.last().has("validation_loss"));
        assertTrue(outcome.bestEpoch() >= 1 && outcome.bestEpoch() <= 7);
    }

    @Test
    void aStopRequestEndsTheEpochItCameInWithACheckpointOfThatEpoch() {
        var stop = new StopRequest();
        List<Checkpoint> saved = new ArrayList<>();
        Network network = network(3);
        Outcome outcome = new Trainer(
                        network,
                        TestParts.logCosh(),
                        TestParts.sgd(0.1),
                        (e, m) -> 1,
                        List.of(),
                        new TrainingSettings(0.01, 50, true, 42, 1, 0))
                .stopOn(stop)
                .train(
                        regression(10, 5),
                        null,
                        (m, n) -> {
                            if (m.epoch() == 7) stop.request("signal SIGTERM");
                        },
                        null,
                        5,
                        saved::add);
        assertEquals(Outcome.Status.INTERRUPTED, outcome.status());
        assertEquals("signal SIGTERM", outcome.stopReason());
        assertEquals(7, outcome.epochs());
        assertEquals(
                List.of(5, 7),
                saved.stream().map(Checkpoint::epoch).toList(),
                "the regular one, and one where it stopped");
        assertEquals(70, saved.get(1).examples());
    }

    @Test
    void withoutAStoppingRuleMaxEpochsEndsIt() {
        var trainer = new Trainer(
                network(10),
                TestParts.logCosh(),
                TestParts.sgd(0.1),
                (e, m) -> 1,
                List.of(),
                new TrainingSettings(0, 12, true, 1, 1, 0));
        var outcome = trainer.train(regression(10, 5), null, (m, n) -> {});
        assertEquals(Outcome.Status.COMPLETED, outcome.status());
        assertEquals(12, outcome.epochs());
        assertEquals(120, outcome.examples());
    }

    @Test
    void aRestoringRuleLeavesTheBestEpochsWeightsEvenIfItNeverFires() {
        Network network = network(3);
        java.util.Map<Integer, double[]> weights = new java.util.HashMap<>();
        var rule = new io.backprop.runner.plugin.StoppingRule() {
            @Override
            public Optional<String> afterEpoch(EpochMetrics metrics) {
                return Optional.empty();
            }

            @Override
            public String restoreBestBy() {
                return "validation_loss";
            }
        };
        var trainer = new Trainer(
                network,
                TestParts.logCosh(),
                TestParts.sgd(3.0),
                (e, m) -> 1,
                List.of(new NamedRule("keeper", rule)),
                new TrainingSettings(0, 40, true, 1, 1, 0));
        List<EpochMetrics> seen = new ArrayList<>();
        var outcome = trainer.train(regression(10, 5), regression(6, 99), (m, n) -> {
            seen.add(m);
            weights.put(m.epoch(), network.weights(0).clone());
        });
        int best = 1;
        for (EpochMetrics m : seen)
            if (m.get("validation_loss") < seen.get(best - 1).get("validation_loss")) best = m.epoch();
        assertEquals(Outcome.Status.COMPLETED, outcome.status());
        assertEquals(40, outcome.epochs());
        assertEquals(best, outcome.bestEpoch());
        assertEquals(best, outcome.keptEpoch());
        assertEquals(seen.get(best - 1), outcome.kept());
        assertArrayEquals(weights.get(best), network.weights(0));
        assertTrue(best < 40, "this run should peak before its end to test anything; best " + best);
    }

    @Test
    void dropoutTrainsReproduciblyAndLeavesEvaluationAlone() {
        Activation[] acts = {TestParts.softsign(), TestParts.softsign()};
        Network a = new Network(2, new int[] {16, 1}, acts, new double[] {0.5, 0}, 3);
        Network b = new Network(2, new int[] {16, 1}, acts, new double[] {0.5, 0}, 3);
        Network plain = new Network(2, new int[] {16, 1}, acts, 3);
        for (Network n : List.of(a, b, plain)) {
            var random = new SplittableRandom(2);
            for (int l = 0; l < 2; l++)
                for (int i = 0; i < n.weights(l).length; i++) n.weights(l)[i] = random.nextGaussian();
        }
        double[] x = {0.3, -0.2, 0.9, 0.1, -0.5, 0.5};
        assertArrayEquals(plain.forward(x, 3).clone(), a.forward(x, 3).clone(), "out of training, nothing is dropped");
        var first = train(a, 0.1, true, 42, 10);
        var second = train(b, 0.1, true, 42, 10);
        assertArrayEquals(a.weights(0), b.weights(0));
        assertEquals(first.get(9).get("train_loss"), second.get(9).get("train_loss"));
        train(plain, 0.1, true, 42, 10);
        assertFalse(java.util.Arrays.equals(a.weights(0), plain.weights(0)), "dropout must change training");
    }

    @Test
    void theUpdateIsFusedOnlyForAnElementwiseOptimizerWithoutClipping() {
        Network network = network(2);
        assertTrue(UpdateStrategy.choose(network, TestParts.elementwiseSgd(0.1), 0) instanceof FusedUpdate);
        assertTrue(UpdateStrategy.choose(network, TestParts.elementwiseSgd(0.1), 1.0) instanceof AfterBackwardUpdate);
        assertTrue(UpdateStrategy.choose(network, TestParts.sgd(0.1), 0) instanceof AfterBackwardUpdate);
    }

    @Test
    void clippingScalesEveryGradientToTheGlobalNormWhereItIsLarger() {
        for (double clip : new double[] {0.01, 1e6}) {
            Network network = network(3);
            var data = regression(3, 4);
            network.gradient(TestParts.logCosh(), data.x(), data.y(), 3, 0);
            List<double[]> before = new ArrayList<>();
            double squares = 0;
            for (double[] g : network.slotGradients()) {
                before.add(g.clone());
                for (double v : g) squares += v * v;
            }
            double norm = Math.sqrt(squares);
            assertTrue(norm > 0.01 && norm < 1e6, "the gradient's norm lies between the two limits: " + norm);
            List<double[]> stepped = new ArrayList<>();
            io.backprop.runner.plugin.Optimizer recorder =
                    (slot, params, gradient, length) -> stepped.add(gradient.clone());
            double[] norms = new double[network.layers()];
            new AfterBackwardUpdate(network, recorder, clip).step(network.workers(), norms);
            double scale = Math.min(1, clip / norm);
            double clippedSquares = 0;
            for (int s = 0; s < before.size(); s++) {
                for (int i = 0; i < before.get(s).length; i++) {
                    assertEquals(before.get(s)[i] * scale, stepped.get(s)[i], 1e-15, "slot " + s + ", element " + i);
                    clippedSquares += stepped.get(s)[i] * stepped.get(s)[i];
                }
            }
            assertEquals(Math.min(clip, norm), Math.sqrt(clippedSquares), 1e-12, "the norm of what was stepped");
            double firstLayer = 0;
            for (double v : before.get(0)) firstLayer += v * v;
            assertEquals(Math.sqrt(firstLayer), norms[0], 1e-15, "the reported norm is the one before clipping");
        }
    }

    @Test
    void deadFractionIsMeasuredOnTheTrainingExamples() {
        Activation relu = new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) a[i] = Math.max(0, z[i]);
            }

            @Override
            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) dz[i] = z[i] > 0 ? da[i] : 0;
            }
        };
        // Two hidden units reading x, weights fixed (learning rate 0): dead on every (negative) training input, alive
        // on every (positive) validation input.
        var network = new Network(1, new int[] {2, 1}, new Activation[] {relu, TestParts.identity()}, 4);
        network.weights(0)[0] = 1;
        network.weights(0)[1] = 2;
        var train = new Dataset(
                new double[] {-1, -2, -3}, new double[] {0, 0, 0}, 3, 1, 1, Dataset.Task.REGRESSION, List.of());
        var validation =
                new Dataset(new double[] {1, 2}, new double[] {0, 0}, 2, 1, 1, Dataset.Task.REGRESSION, List.of());
        List<EpochMetrics> seen = new ArrayList<>();
        new Trainer(network, TestParts.logCosh(), TestParts.sgd(0), (e, m) -> 1, List.of(), TrainingSettings.of(1, 1))
                .train(train, validation, (m, n) -> seen.add(m));
        assertEquals(1.0, seen.get(0).get(io.backprop.runner.plugin.Metric.layerDeadFraction(0)));
    }

    @Test
    void pluginCodeRunsUnderTheGivenContextLoaderOnEveryThreadAndTheNetworkKeepsNoThreads() throws Exception {
        try (var loader =
                new java.net.URLClassLoader(new java.net.URL[0], getClass().getClassLoader())) {
            var seen = java.util.concurrent.ConcurrentHashMap.<ClassLoader>newKeySet();
            var threads = java.util.concurrent.ConcurrentHashMap.<Thread>newKeySet();
            var sgd = TestParts.elementwiseSgd(0.05);
            Thread caller = Thread.currentThread();
            var recording = new io.backprop.runner.plugin.Optimizer() {
                @Override
                public void step(int slot, double[] params, double[] gradient, int length) {
                    step(slot, params, gradient, 0, length);
                }

                @Override
                public boolean elementwise() {
                    return true;
                }

                @Override
                public void step(int slot, double[] params, double[] gradient, int from, int to) {
                    seen.add(Thread.currentThread().getContextClassLoader());
                    threads.add(Thread.currentThread());
                    // Holding on to the first rows leaves the worker time to wake and claim the other part.
                    if (from == 0 && slot == 0 && Thread.currentThread() == caller) sleepMillis(3);
                    sgd.step(slot, params, gradient, from, to);
                }
            };
            Network network = NetworkTest.random(
                    300, new int[] {128, 1}, new Activation[] {TestParts.softsign(), TestParts.softsign()}, 16, 2);
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            var wide =
                    new Dataset(new double[64 * 300], new double[64], 64, 300, 1, Dataset.Task.REGRESSION, List.of());
            new Trainer(
                            network,
                            TestParts.logCosh(),
                            recording,
                            (e, m) -> 1,
                            List.of(),
                            TrainingSettings.of(5, 1).withThreads(2))
                    .contextLoader(loader)
                    .train(wide, null, (m, n) -> {});
            assertTrue(threads.size() > 1, "the step ran on the workers too: " + threads);
            assertEquals(java.util.Set.of(loader), seen);
            assertEquals(before, Thread.currentThread().getContextClassLoader(), "the caller's own loader is back");
            assertEquals(2, network.workers().size(), "a team of the same size");
            var ranOn = new ArrayList<Thread>();
            network.workers().run((part, n) -> ranOn.add(Thread.currentThread()));
            assertEquals(List.of(caller, caller), ranOn, "both parts ran, on the caller");
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theBatchLoopAllocatesNothing() {
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // Batches of one example, 2000 an epoch: an object per batch would be 32 KB an epoch at the least.
        var data = regression(2000, 3);
        for (int variant = 0; variant < 12; variant++) {
            // Variants 3 to 5 again with a scale layer, which every step takes whole; 6 to 8 as 0 to 2, profiled;
            // 9 to 11 as 0 to 2 in float32.
            var optimizer = variant % 3 == 1 ? TestParts.sgd(0.01) : TestParts.elementwiseSgd(0.01);
            long[] allocated = new long[2];
            Network network = variant / 3 == 1 ? scaledNetwork(1) : network(1);
            if (variant >= 9) network.usePrecision(Precision.FLOAT32);
            new Trainer(
                            network,
                            TestParts.logCosh(),
                            optimizer,
                            (e, m) -> 1,
                            List.of(),
                            TrainingSettings.of(12, 1).withClipNorm(variant % 3 == 2 ? 0.5 : 0))
                    .profile(variant / 3 == 2 ? new Profile() : null)
                    .train(data, null, (m, n) -> {
                        if (m.epoch() == 2) allocated[0] = bean.getThreadAllocatedBytes(thread);
                        if (m.epoch() == 12) allocated[1] = bean.getThreadAllocatedBytes(thread);
                    });
            long perEpoch = (allocated[1] - allocated[0]) / 10;
            assertTrue(perEpoch < 32_000, "variant " + variant + ": " + perEpoch + " bytes an epoch");
        }
    }
}
