package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GradientCheckTest {
    @Test
    void centralDifferenceOfAKnownFunction() {
        double[] x = {2.0};
        assertEquals(12.0, GradientCheck.centralDifference(x, 0, () -> x[0] * x[0] * x[0]), 1e-6);
        assertEquals(2.0, x[0]);
    }

    @Test
    void agreementIsRelativeAboveTheFloorAndAbsoluteBelowIt() {
        assertTrue(GradientCheck.agree(1.0, 1.0 + 1e-7));
        assertFalse(GradientCheck.agree(1.0, 1.0 + 1e-5));
        assertTrue(GradientCheck.agree(1e-12, 5e-9));
        assertFalse(GradientCheck.agree(0, 2e-8));
    }

    @Test
    void aWrongDerivativeIsCaughtAndNamed() {
        Activation wrong = new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) a[i] = z[i] * z[i];
            }

            @Override
            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) dz[i] = da[i] * z[i]; // should be 2 z
            }
        };
        var result = GradientCheck.activation(wrong, 2, 2, 1);
        assertFalse(result.passed());
        assertTrue(result.failure().matches("dz\\[\\d] at z = .* \\(relative error 0\\.333.*\\)"), result.failure());
        assertTrue(GradientCheck.activation(TestParts.softmax(), 3, 4, 1).passed());
    }

    /** A ReLU network whose inputs hold a column of zeros and whose hidden layer a unit dead in every row. */
    private static Network sparseReluNetwork() {
        var network = NetworkTest.random(
                5, new int[] {4, 3}, new Activation[] {TestParts.relu(), TestParts.softmax()}, 3, 17);
        for (int j = 0; j < 5; j++) network.weights(0)[j * 4 + 2] = -Math.abs(network.weights(0)[j * 4 + 2]) - 1;
        network.biases(0)[2] = -10; // unit 2 gives 0 for every non-negative input
        return network;
    }

    private static double[] sparseInputs() {
        var random = new SplittableRandom(8);
        double[] x = new double[3 * 5];
        for (int i = 0; i < x.length; i++) x[i] = i % 5 == 1 ? 0 : random.nextDouble();
        return x;
    }

    @Test
    void theCentralDifferencesAreTheObjectivesOwnWhateverTheThreadsAndTheZeroInputs() {
        Network network = sparseReluNetwork();
        double[] x = sparseInputs();
        double[] y = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        Cost cost = TestParts.logCosh();
        double l2 = 0.2;
        var done = new AtomicLong();
        double[][][] one = GradientCheck.centralDifferences(network, cost, x, y, 3, l2, 1, null, done::set);
        assertEquals(network.parameters(), done.get(), "progress reaches every parameter");
        for (int l = 0; l < 2; l++) {
            double[][] params = {network.weights(l), network.biases(l)};
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < params[k].length; i++) {
                    double plain =
                            GradientCheck.centralDifference(params[k], i, () -> network.objective(cost, x, y, 3, l2));
                    assertEquals(
                            plain,
                            one[l][k][i],
                            1e-9 * Math.max(1, Math.abs(plain)),
                            "layer " + l + " kind " + k + " [" + i + "]");
                }
            }
        }
        for (int threads : new int[] {2, 3}) {
            double[][][] many = GradientCheck.centralDifferences(
                    network,
                    cost,
                    x,
                    y,
                    3,
                    l2,
                    threads,
                    () -> new GradientCheck.Replica(
                            network.replica(new Activation[] {TestParts.relu(), TestParts.softmax()}), cost),
                    d -> {});
            for (int l = 0; l < 2; l++) {
                for (int k = 0; k < 2; k++) assertArrayEquals(one[l][k], many[l][k], threads + " threads");
            }
        }
    }

    @Test
    void aFailingLayerReportsItsWorstPairAsItsFigure() {
        Activation wrongTanh = new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) a[i] = Math.tanh(z[i]);
            }

            @Override
            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) dz[i] = da[i] * (1 - a[i] * a[i]) * (1 + 0.1 * z[i] * z[i]);
            }
        };
        var network = NetworkTest.random(3, new int[] {4, 2}, new Activation[] {wrongTanh, TestParts.identity()}, 4, 3);
        var random = new SplittableRandom(4);
        var layers = GradientCheck.byLayer(
                network, TestParts.logCosh(), NetworkTest.uniform(12, random), NetworkTest.uniform(8, random), 4, 0);
        var weights = layers[0][0];
        assertFalse(weights.passed());
        String figure = "(relative error " + weights.worstRelativeError() + ")";
        assertTrue(weights.failure().endsWith(figure), weights.failure() + " should end " + figure);
        assertTrue(weights.failure().startsWith("dC/dW of layer 0 [input "), weights.failure());
        assertTrue(layers[1][0].passed() && layers[1][1].passed(), "the output layer's own gradients are right");
        assertTrue(weights.maxDifference() > 0);
    }
    /** Three rows of a 3-class task, one of each class, and a network of tanh then softmax or one sigmoid. */
    private static final double[] WEIGHTS = {0.5, 3.0, 1.25};

    @Test
    void theWeightedCostIsTheWeightedMeanOfTheRowsCosts() {
        Cost plain = TestParts.crossEntropy();
        var weighted = new ClassWeightedCost(TestParts.crossEntropy(), WEIGHTS, 3);
        double[] a = {0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.25, 0.25, 0.5};
        double[] y = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        double expected = (0.5 * -Math.log(0.7) + 3.0 * -Math.log(0.6) + 1.25 * -Math.log(0.5)) / 3;
        assertEquals(expected, weighted.loss(a, y, 3, 3), 1e-15);
        assertEquals((-Math.log(0.7) - Math.log(0.6) - Math.log(0.5)) / 3, plain.loss(a, y, 3, 3), 1e-15);
        assertTrue(GradientCheck.cost(weighted, a.clone(), y, 3, 3).passed());
        double[] dz = new double[9];
        weighted.delta(a, y, dz, 3, 3);
        assertEquals(3.0 * (0.6 - 1) / 3, dz[4], 1e-15, "row 1 (class 1) times its weight, over the batch's 3 rows");
        assertEquals(0.5 * 0.2 / 3, dz[1], 1e-15);
        assertTrue(
                ClassWeightedCost.unweighted(weighted).loss(a, y, 3, 3) == plain.loss(a, y, 3, 3),
                "unweighted is the plain cost");
    }

    @Test
    void theWeightedSoftmaxCrossEntropyPassesFusedAndUnfusedAndBothGiveOneGradient() {
        double[][] fusedAndNot = new double[2][];
        for (boolean fused : new boolean[] {true, false}) {
            var network = NetworkTest.random(
                    4, new int[] {5, 3}, new Activation[] {TestParts.softsign(), TestParts.softmax()}, 3, 21);
            var cost = new ClassWeightedCost(TestParts.crossEntropy(), WEIGHTS, 3);
            if (fused) network.fuseOutputWith(cost);
            double[] x = NetworkTest.uniform(12, new SplittableRandom(5));
            double[] y = {0, 1, 0, 1, 0, 0, 0, 0, 1};
            var result = GradientCheck.network(network, cost, x, y, 3, 0.01);
            assertTrue(result.passed(), (fused ? "fused: " : "unfused: ") + result.failure());
            assertTrue(result.checked() == network.parameters());
            network.gradient(cost, x, y, 3, 0.01);
            fusedAndNot[fused ? 0 : 1] = network.weightGradient(0).clone();
            // The weights matter: the plain cost's gradient is another one.
            network.fuseOutputWith(null);
            network.gradient(TestParts.crossEntropy(), x, y, 3, 0.01);
            assertFalse(java.util.Arrays.equals(fusedAndNot[fused ? 0 : 1], network.weightGradient(0)));
        }
        for (int i = 0; i < fusedAndNot[0].length; i++) assertEquals(fusedAndNot[1][i], fusedAndNot[0][i], 1e-12);
    }

    @Test
    void theWeightedBinaryCrossEntropyPassesFusedAndUnfused() {
        for (boolean fused : new boolean[] {true, false}) {
            var network = NetworkTest.random(
                    3, new int[] {4, 1}, new Activation[] {TestParts.softsign(), TestParts.sigmoid()}, 4, 8);
            var cost = new ClassWeightedCost(TestParts.binaryCrossEntropy(), new double[] {0.4, 2.5}, 1);
            if (fused) network.fuseOutputWith(cost);
            double[] x = NetworkTest.uniform(12, new SplittableRandom(6));
            double[] y = {1, 0, 0, 1};
            var result = GradientCheck.network(network, cost, x, y, 4, 0);
            assertTrue(result.passed(), (fused ? "fused: " : "unfused: ") + result.failure());
        }
    }

    /** A network with a layer of every kind, each between dense layers, its parameters drawn at random (gamma too). */
    private static Network everyKind(int inputs, int maxBatch, long seed) {
        var random = new SplittableRandom(seed);
        var layers = new java.util.ArrayList<Layer>();
        layers.add(new DenseLayer(inputs, 4, TestParts.softsign(), 0, maxBatch));
        layers.add(new ScaleLayer(4, TestParts.identity(), maxBatch));
        layers.add(new ScaleLayer(4, TestParts.softsign(), maxBatch));
        layers.add(new DenseLayer(4, 3, TestParts.softmax(), 0, maxBatch));
        var network = new Network(inputs, layers, maxBatch);
        for (double[] slot : network.slots())
            for (int i = 0; i < slot.length; i++) slot[i] = random.nextDouble() * 2 - 1;
        return network;
    }

    @Test
    void everyLayerKindPassesTheCheck() {
        var network = everyKind(5, 3, 21);
        var kinds = new java.util.HashSet<Class<?>>();
        for (int l = 0; l < network.layers(); l++) kinds.add(network.layer(l).getClass());
        assertEquals(
                java.util.Set.of(Layer.class.getPermittedSubclasses()), kinds, "the network has a layer of every kind");
        var random = new SplittableRandom(4);
        double[] x = NetworkTest.uniform(15, random);
        double[] y = new double[9];
        for (int r = 0; r < 3; r++) y[r * 3 + r] = 1;
        var layers = GradientCheck.byLayer(network, TestParts.logCosh(), x, y, 3, 0.01);
        for (int l = 0; l < layers.length; l++) {
            for (int s = 0; s < layers[l].length; s++) {
                assertTrue(
                        layers[l][s].passed(),
                        "layer " + l + " " + network.slots(l).get(s).name() + ": " + layers[l][s].failure());
                assertEquals(network.slots(l).get(s).values().length, layers[l][s].checked());
            }
        }
        assertEquals("gamma", network.slots(1).get(0).name());
    }

    @Test
    void aScaleGradientTakenAtOtherParametersDisagrees() {
        var network = everyKind(5, 3, 21);
        var random = new SplittableRandom(4);
        double[] x = NetworkTest.uniform(15, random);
        double[] y = NetworkTest.uniform(9, random);
        var cost = TestParts.logCosh();
        network.gradient(cost, x, y, 3, 0);
        double[] numeric = GradientCheck.centralDifferences(network, cost, x, y, 3, 0, 1, null, done -> {})[2][0];
        double[] analytic = network.slots(2).get(0).gradient();
        for (int j = 0; j < numeric.length; j++) {
            assertTrue(
                    GradientCheck.agree(analytic[j], numeric[j]),
                    "dC/dgamma[" + j + "] " + analytic[j] + " vs " + numeric[j]);
        }
        network.slots(2).get(0).values()[1] += 0.5; // a gradient taken at other parameters than the differences
        double[] moved = GradientCheck.centralDifferences(network, cost, x, y, 3, 0, 1, null, done -> {})[2][0];
        assertFalse(GradientCheck.agree(analytic[1], moved[1]));
    }
}
