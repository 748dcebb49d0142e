package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.Profile.Phase;
import io.backprop.runner.engine.kernel.RowTask;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ProfileTest {
    /** A clock that gives {@code readings} in turn, and counts its reads. */
    private static final class Script implements LongSupplier {
        private final long[] readings;
        int reads;

        Script(long... readings) {
            this.readings = readings;
        }

        @Override
        public long getAsLong() {
            return readings[reads++];
        }
    }

    @Test
    void aLapGivesItsPhaseTheTimeSinceTheLastAndATaskNestedOnTheCallerMovesItsTimeToItsOwn() throws Exception {
        var clock = new Script(100, 110, 130, 170, 180, 195, 250, 255, 300, 301, 306, 306);
        var profile = new Profile();
        var phases = new PhaseClock(clock, profile);
        var ran = new AtomicInteger();
        RowTask[] tasks = phases.nested(new RowTask[] {(from, to) -> ran.incrementAndGet(), null}, Phase.UPDATE);
        assertEquals(null, tasks[1], "no task, none timed");
        phases.start(true);
        phases.lap(Phase.OTHER); //                                            10
        phases.lap(Phase.DATA_COPY); //                                        20
        phases.lap(Phase.FORWARD); //                                          40
        tasks[0].rows(0, 1); // on the caller, inside backward:                 15 of update
        var worker = new Thread(() -> tasks[0].rows(1, 2)); // another thread's: its time is not the caller's
        worker.start();
        worker.join();
        assertEquals(2, ran.get(), "the tasks themselves ran, on both threads");
        assertEquals(6, clock.reads, "the worker's part read no clock");
        phases.lap(Phase.BACKWARD); // 250 - 170 less the 15 nested:           65
        phases.lap(Phase.UPDATE); //                                           5 + 15
        phases.lap(Phase.EVALUATION); //                                       45
        phases.endEpoch(1); // the rest is other:                              1 more
        phases.lap(Phase.FORWARD); // the next epoch starts from zero:         5
        phases.endEpoch(2);

        assertTrue(profile.fusedUpdate());
        var epochs = profile.epochs();
        assertEquals(2, epochs.size());
        var first = epochs.get(0);
        assertEquals(1, first.epoch());
        assertEquals(11, first.nanos(Phase.OTHER));
        assertEquals(20, first.nanos(Phase.DATA_COPY));
        assertEquals(40, first.nanos(Phase.FORWARD));
        assertEquals(65, first.nanos(Phase.BACKWARD));
        assertEquals(20, first.nanos(Phase.UPDATE));
        assertEquals(45, first.nanos(Phase.EVALUATION));
        assertEquals(301 - 100, first.nanos(), "the phases add up to the epoch's wall time");
        assertEquals(65 / 201.0, first.share(Phase.BACKWARD));
        var second = epochs.get(1);
        assertEquals(2, second.epoch());
        assertEquals(5, second.nanos(Phase.FORWARD));
        assertEquals(0, second.nanos(Phase.UPDATE));
        assertEquals(5, second.nanos());
        var total = profile.total();
        assertEquals(0, total.epoch());
        assertEquals(45, total.nanos(Phase.FORWARD));
        assertEquals(306 - 100, total.nanos());
    }

    @Test
    void offReadsNoClockAndLeavesTheTasksAsTheyAre() {
        LongSupplier never = () -> {
            throw new AssertionError("an unprofiled run read the clock");
        };
        for (PhaseClock off : List.of(PhaseClock.off(), new PhaseClock(never, null))) {
            RowTask[] tasks = {(from, to) -> {}};
            assertSame(tasks, off.nested(tasks, Phase.UPDATE));
            off.start(false);
            for (Phase phase : Phase.values()) off.lap(phase);
            off.endEpoch(1);
        }
    }

    private static Dataset regression(int rows, int inputs, long seed) {
        var random = new SplittableRandom(seed);
        double[] x = new double[rows * inputs];
        for (int i = 0; i < x.length; i++) x[i] = random.nextInt(3) == 0 ? 0 : random.nextGaussian();
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) y[r] = Math.tanh(x[r * inputs] - x[r * inputs + 1]);
        return new Dataset(x, y, rows, inputs, 1, Dataset.Task.REGRESSION, List.of());
    }

    private static Network network(int inputs, int hidden, int batch) {
        return NetworkTest.random(
                inputs, new int[] {hidden, 1}, new Activation[] {TestParts.softsign(), TestParts.softsign()}, batch, 2);
    }

    private static Trainer trainer(Network network, Optimizer optimizer, int epochs, int threads) {
        return new Trainer(
                network,
                TestParts.logCosh(),
                optimizer,
                (e, m) -> 1,
                List.of(),
                new TrainingSettings(1e-3, epochs, true, 9, threads, 0));
    }

    /** A clock that advances by one at each read. */
    private static LongSupplier ticks() {
        var now = new AtomicLong();
        return now::incrementAndGet;
    }

    @Test
    void onAClockOfOneTickAReadEachPhaseOfEachBatchGetsOneAndTheEpochAddsUp() {
        // 10 examples in batches of 3: 4 batches, each a tick for the loop (other), gather, forward, backward and
        // update.
        var profile = new Profile();
        trainer(network(2, 4, 3), TestParts.sgd(0.1), 5, 1)
                .profile(profile, ticks())
                .train(regression(10, 2, 5), null, (m, n) -> {});
        assertFalse(profile.fusedUpdate(), "a step after backward");
        assertEquals(
                List.of(1, 2, 3, 4, 5),
                profile.epochs().stream().map(Profile.Times::epoch).toList());
        for (var epoch : profile.epochs()) {
            assertEquals(4 + 1, epoch.nanos(Phase.OTHER), "and a tick after the evaluation");
            assertEquals(4, epoch.nanos(Phase.DATA_COPY));
            assertEquals(4, epoch.nanos(Phase.FORWARD));
            assertEquals(4, epoch.nanos(Phase.BACKWARD));
            assertEquals(4, epoch.nanos(Phase.UPDATE));
            assertEquals(1, epoch.nanos(Phase.EVALUATION));
            assertEquals(22, epoch.nanos());
            assertEquals(4 / 22.0, epoch.share(Phase.FORWARD));
            assertEquals(5 / 22.0, epoch.share(Phase.OTHER));
        }
        assertEquals(5 * 22, profile.total().nanos());
        assertEquals(5 * 4, profile.total().nanos(Phase.UPDATE));
    }

    @Test
    void aFusedUpdatesStepInsideBackwardIsCountedAsUpdate() {
        // A 300-128 layer's weight gradient steps its rows inside backward: two more ticks, one of them update's.
        var profile = new Profile();
        trainer(network(300, 128, 16), TestParts.elementwiseSgd(0.05), 3, 1)
                .profile(profile, ticks())
                .train(regression(64, 300, 8), null, (m, n) -> {});
        assertTrue(profile.fusedUpdate());
        int batches = 4;
        for (var epoch : profile.epochs()) {
            long nested = epoch.nanos(Phase.UPDATE) - batches;
            assertTrue(nested >= batches && nested % batches == 0, "a step inside each batch's backward: " + nested);
            assertEquals(batches + nested, epoch.nanos(Phase.BACKWARD), "two ticks each, less the one moved to update");
            assertEquals(batches, epoch.nanos(Phase.FORWARD));
            assertEquals(batches, epoch.nanos(Phase.DATA_COPY));
            assertEquals(1, epoch.nanos(Phase.EVALUATION));
            assertEquals(batches + 1, epoch.nanos(Phase.OTHER));
            assertEquals(5 * batches + 2 + 2 * nested, epoch.nanos(), "every tick counted once");
        }
    }

    @Test
    void onTheRealClockEveryPhaseTakesTimeAndTheEpochsAddUpToTheRunsWallTime() {
        for (int threads : new int[] {1, 2}) {
            var profile = new Profile();
            List<EpochMetrics> seen = new ArrayList<>();
            Outcome outcome = trainer(network(300, 128, 16), TestParts.elementwiseSgd(0.05), 4, threads)
                    .profile(profile)
                    .train(regression(64, 300, 8), regression(32, 300, 9), (m, n) -> {
                        seen.add(m);
                        sleepMillis(5); // the listener's time: other
                    });
            var epochs = profile.epochs();
            assertEquals(4, epochs.size());
            long sum = 0;
            for (int e = 0; e < 4; e++) {
                var epoch = epochs.get(e);
                for (Phase phase : Phase.values())
                    assertTrue(epoch.nanos(phase) > 0, threads + " threads, epoch " + (e + 1) + ": " + phase);
                assertTrue(epoch.nanos(Phase.OTHER) >= 5_000_000, "the listener: " + epoch.nanos(Phase.OTHER));
                // The epoch's own seconds end with its measurement, before the listener: inside the profiled span.
                long measured = (long) (seen.get(e).get(Metric.SECONDS) * 1e9);
                assertTrue(epoch.nanos() >= measured + 5_000_000, epoch.nanos() + " against " + measured);
                sum += epoch.nanos();
            }
            assertEquals(sum, profile.total().nanos());
            long wall = (long) (outcome.seconds() * 1e9); // from before the first epoch to after the last
            assertTrue(sum <= wall && wall - sum < 5_000_000, threads + " threads: " + sum + " of " + wall + " ns");
        }
    }

    @Test
    void aProfiledRunGivesTheBitsOfAnUnprofiledOne() {
        for (var optimizer : List.of(TestParts.elementwiseSgd(0.05), TestParts.sgd(0.05))) {
            for (int threads : new int[] {1, 2}) {
                Network plain = network(300, 128, 16);
                Network profiled = network(300, 128, 16);
                List<EpochMetrics> plainMetrics = new ArrayList<>();
                List<EpochMetrics> profiledMetrics = new ArrayList<>();
                trainer(plain, optimizer, 4, threads)
                        .train(regression(64, 300, 8), null, (m, n) -> plainMetrics.add(m));
                trainer(profiled, optimizer, 4, threads)
                        .profile(new Profile())
                        .train(regression(64, 300, 8), null, (m, n) -> profiledMetrics.add(m));
                for (int l = 0; l < 2; l++) {
                    assertArrayEquals(plain.weights(l), profiled.weights(l), threads + " threads, layer " + l);
                    assertArrayEquals(plain.biases(l), profiled.biases(l), threads + " threads, layer " + l);
                }
                for (int e = 0; e < 4; e++) {
                    var expected = new HashMap<>(plainMetrics.get(e).values());
                    var actual = new HashMap<>(profiledMetrics.get(e).values());
                    expected.remove(Metric.SECONDS.key());
                    actual.remove(Metric.SECONDS.key());
                    assertEquals(expected, actual, threads + " threads, epoch " + (e + 1));
                }
            }
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
