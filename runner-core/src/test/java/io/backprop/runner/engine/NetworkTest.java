package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkTest {
    static Network random(int inputs, int[] units, Activation[] activations, int batch, long seed) {
        var network = new Network(inputs, units, activations, batch);
        var random = new SplittableRandom(seed);
        for (int l = 0; l < units.length; l++) {
            for (int i = 0; i < network.weights(l).length; i++) network.weights(l)[i] = random.nextGaussian();
            for (int i = 0; i < network.biases(l).length; i++) network.biases(l)[i] = random.nextGaussian() * 0.5;
        }
        return network;
    }

    static double[] uniform(int n, SplittableRandom random) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = random.nextDouble() * 2 - 1;
        return x;
    }

    @Test
    void aBatchsMultiplyAddsAreTheDenseLayersProductsAtTheLargestBatch() {
        Activation hidden = TestParts.softsign();
        var w3 =
                new Network(784, new int[] {512, 512, 10}, new Activation[] {hidden, hidden, TestParts.softmax()}, 128);
        assertEquals((784L * 512 + 512 * 512 + 512 * 10) * 128, w3.batchMultiplyAdds());
        assertTrue(w3.batchMultiplyAdds() >= ThreadChoice.ALWAYS_SPLIT, "W3 always splits");
        var w2 = new Network(784, new int[] {128, 10}, new Activation[] {hidden, TestParts.softmax()}, 32);
        assertEquals((784L * 128 + 128 * 10) * 32, w2.batchMultiplyAdds());
        assertTrue(w2.batchMultiplyAdds() < ThreadChoice.ALWAYS_SPLIT, "W2 is timed");
    }

    @Test
    void gradientsMatchCentralDifferencesThroughDeepNetworks() {
        var random = new SplittableRandom(3);
        int[][] shapes = {{3, 1}, {4, 3, 2}, {5, 4, 3, 2}};
        for (int[] units : shapes) {
            for (int rows : new int[] {1, 6}) {
                for (double l2 : new double[] {0, 0.3}) {
                    Activation[] acts = new Activation[units.length];
                    for (int l = 0; l < acts.length; l++) acts[l] = TestParts.softsign();
                    var network = random(3, units, acts, rows, 11);
                    double[] x = uniform(rows * 3, random);
                    double[] y = uniform(rows * units[units.length - 1], random);
                    var result = GradientCheck.network(network, TestParts.logCosh(), x, y, rows, l2);
                    assertTrue(result.passed(), result.failure());
                    int parameters = java.util.stream.IntStream.of(units).sum()
                            + 3 * units[0]
                            + java.util.stream.IntStream.range(1, units.length)
                                    .map(l -> units[l] * units[l - 1])
                                    .sum();
                    assertEquals(parameters, result.checked());
                }
            }
        }
    }

    @Test
    void coupledOutputActivationGoesThroughTheSameBackwardPass() {
        var random = new SplittableRandom(5);
        var network = random(4, new int[] {5, 3}, new Activation[] {TestParts.softsign(), TestParts.softmax()}, 4, 2);
        var result =
                GradientCheck.network(network, TestParts.logCosh(), uniform(16, random), uniform(12, random), 4, 0.1);
        assertTrue(result.passed(), result.failure());
    }

    @Test
    void forwardComputesTheLayersByHand() {
        var identity = TestParts.identity();
        var network = new Network(2, new int[] {1}, new Activation[] {identity}, 2);
        network.weights(0)[0] = 2;
        network.weights(0)[1] = -1;
        network.biases(0)[0] = 0.5;
        double[] out = network.forward(new double[] {1, 1, 3, 2}, 2);
        assertEquals(1.5, out[0]);
        assertEquals(4.5, out[1]);
    }

    @Test
    void gradientOfAWholeBatchIsTheMeanOfPerExampleGradients() {
        var random = new SplittableRandom(9);
        var acts = new Activation[] {TestParts.softsign(), TestParts.softsign()};
        var network = random(2, new int[] {3, 2}, acts, 4, 4);
        double[] x = uniform(8, random);
        double[] y = uniform(8, random);
        network.gradient(TestParts.logCosh(), x, y, 4, 0);
        double[] batch = network.weightGradient(0).clone();
        double[] mean = new double[batch.length];
        for (int r = 0; r < 4; r++) {
            double[] xr = {x[2 * r], x[2 * r + 1]};
            double[] yr = {y[2 * r], y[2 * r + 1]};
            network.gradient(TestParts.logCosh(), xr, yr, 1, 0);
            for (int i = 0; i < mean.length; i++) mean[i] += network.weightGradient(0)[i] / 4;
        }
        assertArrayEquals(mean, batch, 1e-15);
    }

    @Test
    void batchesLargerThanTheBuffersAreRejected() {
        var network = new Network(2, new int[] {1}, new Activation[] {TestParts.softsign()}, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> network.forward(new double[6], 3));
        assertEquals("batch of 3 rows; buffers hold 1 to 2", e.getMessage());
    }

    @Test
    void gradientsThroughDropoutMatchCentralDifferencesForAFixedMask() {
        var random = new SplittableRandom(8);
        Activation[] acts = {TestParts.softsign(), TestParts.softsign(), TestParts.softsign()};
        var network = new Network(3, new int[] {6, 5, 2}, acts, new double[] {0.5, 0.3, 0}, 4);
        for (int l = 0; l < 3; l++) {
            for (int i = 0; i < network.weights(l).length; i++) network.weights(l)[i] = random.nextGaussian();
        }
        network.setTraining(true);
        network.sampleDropout(4, new SplittableRandom(3));
        var result =
                GradientCheck.network(network, TestParts.logCosh(), uniform(12, random), uniform(8, random), 4, 0.05);
        assertTrue(result.passed(), result.failure());
    }

    @Test
    void invertedDropoutKeepsTheMeanAndDropsAboutP() {
        var network = new Network(
                1,
                new int[] {2000, 1},
                new Activation[] {TestParts.identity(), TestParts.identity()},
                new double[] {0.25, 0},
                1);
        java.util.Arrays.fill(network.weights(0), 1.0);
        java.util.Arrays.fill(network.weights(1), 1.0 / 2000);
        network.setTraining(true);
        network.sampleDropout(1, new SplittableRandom(5));
        double out = network.forward(new double[] {1}, 1)[0];
        assertEquals(1.0, out, 0.05, "the mean output survives dropout");
    }

    @Test
    void weightsAreSeenUnitByUnitAndStoredInputByInput() {
        var network = new Network(3, new int[] {2}, new Activation[] {TestParts.identity()}, 1);
        network.setWeightsByUnit(0, new double[] {1, 2, 3, 4, 5, 6}); // unit 0: 1 2 3; unit 1: 4 5 6
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, network.weights(0));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, network.weightsByUnit(0));
        double[] out = network.forward(new double[] {1, 0, -1}, 1);
        assertEquals(1 - 3, out[0]);
        assertEquals(4 - 6, out[1]);
    }
}
