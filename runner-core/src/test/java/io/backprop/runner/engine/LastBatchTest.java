package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The last batch of an epoch, shorter than batch_size, takes its step from the mean over its own examples. */
class LastBatchTest {
    private static final double RATE = 0.1;
    private static final double L2 = 0.01;

    private static Network network() {
        return NetworkTest.random(
                2, new int[] {3, 1}, new Activation[] {TestParts.softsign(), TestParts.softsign()}, 4, 7);
    }

    /** One plain SGD step from the network's gradient buffers, scaling the cost's part of the weight gradient. */
    private static void step(Network n, double costScale) {
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < n.weights(l).length; i++) {
                double regularisation = L2 * n.weights(l)[i];
                double gradient = costScale == 1
                        ? n.weightGradient(l)[i]
                        : costScale * (n.weightGradient(l)[i] - regularisation) + regularisation;
                n.weights(l)[i] -= RATE * gradient;
            }
            for (int i = 0; i < n.biases(l).length; i++) n.biases(l)[i] -= RATE * costScale * n.biasGradient(l)[i];
        }
    }

    @Test
    void fiveExamplesInBatchesOfFourAreAStepOverFourThenAStepOverOne() {
        var random = new SplittableRandom(3);
        double[] x = NetworkTest.uniform(10, random);
        double[] y = NetworkTest.uniform(5, random);
        var data = new Dataset(x, y, 5, 2, 1, Dataset.Task.REGRESSION, List.of());
        Cost cost = TestParts.logCosh();

        Network trained = network();
        new Trainer(
                        trained,
                        cost,
                        TestParts.sgd(RATE),
                        (e, m) -> 1,
                        List.of(),
                        new TrainingSettings(L2, 1, false, 1, 1, 0))
                .train(data, null, (m, n) -> {});

        Network byHand = network();
        byHand.gradient(cost, Arrays.copyOfRange(x, 0, 8), Arrays.copyOfRange(y, 0, 4), 4, L2);
        step(byHand, 1);
        Network nominal = network();
        nominal.gradient(cost, Arrays.copyOfRange(x, 0, 8), Arrays.copyOfRange(y, 0, 4), 4, L2);
        step(nominal, 1);
        byHand.gradient(cost, Arrays.copyOfRange(x, 8, 10), Arrays.copyOfRange(y, 4, 5), 1, L2);
        step(byHand, 1);
        nominal.gradient(cost, Arrays.copyOfRange(x, 8, 10), Arrays.copyOfRange(y, 4, 5), 1, L2);
        step(nominal, 1.0 / 4);

        for (int l = 0; l < 2; l++) {
            assertArrayEquals(
                    byHand.weights(l),
                    trained.weights(l),
                    "layer " + l + ": the last batch averaged over its one example");
            assertArrayEquals(byHand.biases(l), trained.biases(l), "layer " + l);
        }
        assertFalse(Arrays.equals(nominal.weights(1), trained.weights(1)), "averaged over batch_size, it would differ");
    }
}
