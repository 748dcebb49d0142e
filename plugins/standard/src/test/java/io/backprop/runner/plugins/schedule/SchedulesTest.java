package io.backprop.runner.plugins.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.Checkpoint;
import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.Outcome;
import io.backprop.runner.engine.Resume;
import io.backprop.runner.engine.StopRequest;
import io.backprop.runner.engine.Trainer;
import io.backprop.runner.engine.TrainingSettings;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugins.StandardPlugins;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    private static <T> T plugin(
            PluginKind<? extends io.backprop.runner.plugin.PluginProvider<T>> kind,
            String name,
            Map<String, ?> values) {
        var p = StandardPlugins.registry().providers(kind).stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
        return p.create(Params.of(p, values));
    }

    private static LearningRateSchedule schedule(String name, Map<String, ?> values) {
        return plugin(PluginKind.SCHEDULE, name, values);
    }

    private static EpochMetrics epoch(int epoch, double validationLoss, double learningRate) {
        return new EpochMetrics(
                epoch, Map.of(Metric.VALIDATION_LOSS.key(), validationLoss, Metric.LEARNING_RATE.key(), learningRate));
    }

    /** The factor of each epoch, feeding the schedule the given validation losses at a configured rate of 0.5. */
    private static List<Double> factors(LearningRateSchedule s, double... losses) {
        List<Double> factors = new ArrayList<>();
        for (int e = 1; e <= losses.length; e++) {
            double f = s.factor(e, losses.length);
            factors.add(f);
            s.afterEpoch(epoch(e, losses[e - 1], 0.5 * f));
        }
        return factors;
    }

    @Test
    void reduceOnPlateauCutsTheRateAfterPatienceEpochsWithoutGainThenCoolsDown() {
        var s = schedule("reduce-on-plateau", Map.of("factor", 0.5, "patience", 2L, "cooldown", 1L));
        assertEquals(List.of(Metric.VALIDATION_LOSS), s.monitors());
        // Best 0.8 at epoch 2; epochs 3 and 4 bring nothing: halved from epoch 5. Epoch 5 is the cooldown's, so epochs
        // 6
        // and 7 count, halving again from epoch 8.
        assertEquals(
                List.of(1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25),
                factors(s, 0.9, 0.8, 0.85, 0.81, 0.82, 0.83, 0.84, 0.9, 0.9));
    }

    @Test
    void reduceOnPlateauStopsAtMinLrAndWatchesAccuracyUpwards() {
        var s = schedule("reduce-on-plateau", Map.of("factor", 0.1, "patience", 1L, "min_lr", 0.02));
        // The configured rate is 0.5: min_lr 0.02 is a factor of 0.04.
        List<Double> f = factors(s, 1, 1, 1, 1);
        assertEquals(1.0, f.get(1));
        assertEquals(0.1, f.get(2), 1e-15);
        assertEquals(0.04, f.get(3), 1e-15);
        var accuracy = schedule("reduce-on-plateau", Map.of("monitor", "validation_accuracy", "patience", 1L));
        accuracy.afterEpoch(new EpochMetrics(1, Map.of("validation_accuracy", 0.5)));
        accuracy.afterEpoch(new EpochMetrics(2, Map.of("validation_accuracy", 0.7)));
        assertEquals(1.0, accuracy.factor(3, 10), "a higher accuracy is a gain");
        accuracy.afterEpoch(new EpochMetrics(3, Map.of("validation_accuracy", 0.6)));
        assertEquals(0.1, accuracy.factor(4, 10), 1e-15);
    }

    @Test
    void warmupRisesLinearlyThenFollowsTheInnerScheduleOverTheRemainingEpochs() {
        var s = schedule(
                "warmup", Map.of("warmup_epochs", 3L, "then", "cosine", "then_params", Map.of("min_factor", "0.2")));
        double[] expected = {0.25, 0.5, 0.75, 1, 0.2 + 0.8 * 0.5 * (1 + Math.cos(Math.PI / 2)), 0.2};
        for (int e = 1; e <= 6; e++) assertEquals(expected[e - 1], s.factor(e, 6), 1e-15, "epoch " + e);
        var plateau = schedule(
                "warmup",
                Map.of(
                        "warmup_epochs",
                        2L,
                        "then",
                        "reduce-on-plateau",
                        "then_params",
                        Map.of("patience", "1", "factor", "0.5")));
        assertEquals(List.of(Metric.VALIDATION_LOSS), plateau.monitors());
        // Epochs 1 and 2 warm up; the flat losses count only from epoch 3, the inner schedule's first.
        assertEquals(List.of(1.0 / 3, 2.0 / 3, 1.0, 1.0, 0.5), factors(plateau, 1, 1, 1, 1, 1));
    }

    @Test
    void warmupSaysWhichInnerParameterIsWrong() {
        var p = StandardPlugins.registry().providers(PluginKind.SCHEDULE).stream()
                .filter(s -> s.name().equals("warmup"))
                .findFirst()
                .orElseThrow();
        var e = assertThrows(
                PluginException.class,
                () -> p.create(Params.of(p, Map.of("then", "step", "then_params", Map.of("every", "often")))));
        assertEquals("then_params.every: expected an integer from 1 to 2147483647, got often", e.getMessage());
        e = assertThrows(
                PluginException.class,
                () -> p.create(Params.of(p, Map.of("then", "step", "then_params", Map.of("evry", "2")))));
        assertTrue(e.getMessage().startsWith("then_params of step: step has no parameter 'evry'"), e.getMessage());
    }

    // A run stopped and resumed from its checkpoint, through the checkpoint's bytes, gives the bits of one never
    // stopped.

    private static Dataset data() {
        var random = new SplittableRandom(5);
        int rows = 40;
        double[] x = new double[rows * 2];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = random.nextDouble(-1, 1);
            x[2 * r + 1] = random.nextDouble(-1, 1);
            y[r] = Math.sin(3 * x[2 * r]) * x[2 * r + 1];
        }
        return new Dataset(x, y, rows, 2, 1, Dataset.Task.REGRESSION, List.of());
    }

    private static Network network() {
        Activation tanh = plugin(PluginKind.ACTIVATION, "tanh", Map.of());
        Activation identity = plugin(PluginKind.ACTIVATION, "identity", Map.of());
        var network = new Network(2, new int[] {8, 1}, new Activation[] {tanh, identity}, 8);
        var random = new SplittableRandom(3);
        for (int l = 0; l < 2; l++)
            for (int i = 0; i < network.weights(l).length; i++) network.weights(l)[i] = random.nextGaussian();
        return network;
    }

    private static final Map<String, ?> SCHEDULE = Map.of(
            "warmup_epochs",
            3L,
            "then",
            "reduce-on-plateau",
            "then_params",
            Map.of("monitor", "train_loss", "patience", "2", "factor", "0.5", "cooldown", "1", "min_lr", "0.05"));

    private record Run(Outcome outcome, Network network, List<EpochMetrics> metrics, List<Checkpoint> checkpoints) {}

    private static Run run(Resume resume, StopRequest stop, int stopAt) {
        Network network = network();
        List<EpochMetrics> seen = new ArrayList<>(resume == null ? List.of() : resume.history());
        List<Checkpoint> saved = new ArrayList<>();
        var trainer = new Trainer(
                        network,
                        plugin(PluginKind.COST, "quadratic", Map.of()),
                        plugin(PluginKind.OPTIMIZER, "momentum", Map.of("learning_rate", 0.3)),
                        schedule("warmup", SCHEDULE),
                        List.of(),
                        TrainingSettings.of(60, 7))
                .stopOn(stop);
        Outcome outcome = trainer.train(
                data(),
                null,
                (m, n) -> {
                    seen.add(m);
                    if (m.epoch() == stopAt) stop.request("test");
                },
                resume,
                10,
                c -> saved.add(roundTrip(c)));
        return new Run(outcome, network, seen, saved);
    }

    private static Checkpoint roundTrip(Checkpoint c) {
        try {
            var bytes = new ByteArrayOutputStream();
            c.write(new DataOutputStream(bytes));
            return Checkpoint.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Double> withoutTime(EpochMetrics m) {
        var values = new HashMap<>(m.values());
        values.remove(Metric.SECONDS.key());
        return values;
    }

    @Test
    void aResumedRunFollowsTheScheduleOfAnUninterruptedOneBitForBit() {
        Run whole = run(null, new StopRequest(), -1);
        double first = whole.metrics().get(3).get(Metric.LEARNING_RATE);
        double last = whole.metrics().get(59).get(Metric.LEARNING_RATE);
        assertTrue(last < first, "the plateau cut the rate: " + first + " -> " + last);
        Run stopped = run(null, new StopRequest(), 27);
        assertEquals(Outcome.Status.INTERRUPTED, stopped.outcome().status());
        Checkpoint at = stopped.checkpoints().get(stopped.checkpoints().size() - 1);
        assertEquals(27, at.epoch());
        assertEquals(1, at.scheduleState().size(), "the plateau's state is in the checkpoint");
        Run resumed = run(new Resume(at, stopped.metrics()), new StopRequest(), -1);
        assertEquals(whole.metrics().size(), resumed.metrics().size());
        for (int e = 0; e < whole.metrics().size(); e++) {
            assertEquals(
                    withoutTime(whole.metrics().get(e)),
                    withoutTime(resumed.metrics().get(e)),
                    "epoch " + (e + 1));
        }
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(whole.network().weights(l), resumed.network().weights(l));
            assertArrayEquals(whole.network().biases(l), resumed.network().biases(l));
        }
    }
}
