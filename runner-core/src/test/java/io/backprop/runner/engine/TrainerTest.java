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
        return NetworkTest.random(2, new int[] {4, 1}, new Activation[] {TestParts.softsign(), TestParts.softsign()}, batch, 1);
    }

    private static List<EpochMetrics> train(Network network, double learningRate, boolean shuffle, long seed, int epochs) {
        List<EpochMetrics> seen = new ArrayList<>();
        new Trainer(network, TestParts.logCosh(), TestParts.sgd(learningRate), (e, m) -> 1, List.of(), 0.01, epochs, shuffle, seed)
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
        for (int e = 0; e < 30; e++) assertEquals(first.get(e).get("train_loss"), second.get(e).get("train_loss"));
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
        assertTrue(seen.get(199).get("train_loss") < seen.get(0).get("train_loss") / 2,
                seen.get(0).get("train_loss") + " -> " + seen.get(199).get("train_loss"));
        assertTrue(seen.get(0).has("train_rmse"));
        assertFalse(seen.get(0).has("validation_loss"));
    }

    @Test
    void aHugeLearningRateDivergesAndSaysWhen() {
        var unbounded = NetworkTest.random(2, new int[] {4, 1}, new Activation[] {TestParts.softsign(), TestParts.identity()}, 10, 1);
        var trainer = new Trainer(unbounded, TestParts.logCosh(), TestParts.sgd(1e300), (e, m) -> 1, List.of(), 0, 100, false, 1);
        var outcome = trainer.train(regression(10, 5), null, (m, n) -> { });
        assertEquals(Outcome.Status.DIVERGED, outcome.status());
        assertTrue(outcome.epochs() < 100);
        assertTrue(outcome.stopReason().startsWith("the loss became"), outcome.stopReason());
    }

    @Test
    void aStoppingRuleEndsTheRunWithItsReason() {
        var trainer = new Trainer(network(10), TestParts.logCosh(), TestParts.sgd(0.1), (e, m) -> 1, List.of(
                m -> m.epoch() == 7 ? Optional.of("seven") : Optional.empty()), 0, 100, true, 1);
        var outcome = trainer.train(regression(10, 5), regression(5, 6), (m, n) -> { });
        assertEquals(Outcome.Status.STOPPED, outcome.status());
        assertEquals("seven", outcome.stopReason());
        assertEquals(7, outcome.epochs());
        assertTrue(outcome.last().has("validation_loss"));
        assertTrue(outcome.bestEpoch() >= 1 && outcome.bestEpoch() <= 7);
    }

    @Test
    void withoutAStoppingRuleMaxEpochsEndsIt() {
        var trainer = new Trainer(network(10), TestParts.logCosh(), TestParts.sgd(0.1), (e, m) -> 1, List.of(), 0, 12, true, 1);
        var outcome = trainer.train(regression(10, 5), null, (m, n) -> { });
        assertEquals(Outcome.Status.COMPLETED, outcome.status());
        assertEquals(12, outcome.epochs());
        assertEquals(120, outcome.examples());
    }
}
