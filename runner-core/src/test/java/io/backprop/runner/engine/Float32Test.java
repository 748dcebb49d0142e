package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Precision#FLOAT32}: the products' contract, element by element, and gradients close to float64's. */
class Float32Test {
    private static Network network(Precision precision, int inputs, int[] units, int batch) {
        var network = NetworkTest.random(
                inputs, units, new Activation[] {TestParts.softsign(), TestParts.softsign()}, batch, 4);
        network.usePrecision(precision);
        return network;
    }

    /** {@code x} with a third of its entries zero, as images and ReLU outputs have. */
    private static double[] input(int n, long seed) {
        var random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = random.nextInt(3) == 0 ? 0 : random.nextGaussian();
        return x;
    }

    /** One float sum over p ascending of the float-rounded operands, as the float products make it. */
    private static float floatSum(
            double[] x, int xo, int xs, double[] w, int wo, int ws, int from, int to, boolean fused) {
        float s = 0;
        for (int p = from; p < to; p++) {
            float a = (float) x[xo + p * xs];
            float b = (float) w[wo + p * ws];
            if (a != 0) s = fused ? Math.fma(a, b, s) : s + a * b;
        }
        return s;
    }

    @Test
    void theForwardProductIsFloatSumsOfTheRoundedOperandsWidenedThenTheBiasInDouble() {
        int inputs = 300;
        int rows = 7;
        for (int units : new int[] {3, 40}) { // a narrow layer runs transposed
            var network = network(Precision.FLOAT32, inputs, new int[] {units, 2}, rows);
            boolean fused = new Products(new io.backprop.runner.engine.kernel.Workers(1)).fused();
            double[] x = input(rows * inputs, 5);
            network.forward(x, rows);
            double[] z = network.layer(0) instanceof DenseLayer dense ? dense.z : null;
            double[] w = network.weights(0);
            double[] b = network.biases(0);
            int half = Products.half(inputs);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < units; j++) {
                    float lower = floatSum(x, i * inputs, 1, w, j, units, 0, half, fused);
                    float upper = floatSum(x, i * inputs, 1, w, j, units, half, inputs, fused);
                    double expected = ((double) lower + (double) upper) + b[j];
                    assertEquals(expected, z[i * units + j], 0.0, "row " + i + ", unit " + j);
                }
            }
        }
    }

    /**
     * The trainer gathers float32 batches from a float copy of the data set straight into the first layer's float
     * buffer: the same floats as converting each gathered double batch, so the same forward pass, on one thread's
     * gather and on two threads' halves; with the buffer's use turned off, a forward pass converts its double input.
     */
    @Test
    void batchesGatheredInFloatAreTheConvertedDoubleBatches() {
        int inputs = 300;
        int rows = 9;
        int examples = 40;
        double[] all = input(examples * inputs, 8);
        var data = new Dataset(all, new double[examples], examples, inputs, 1, Dataset.Task.REGRESSION, List.of());
        float[] all32 = new float[all.length];
        Dense.toFloat(all, all32, all.length);
        int[] order = new int[examples];
        for (int i = 0; i < examples; i++) order[i] = (i * 17 + 5) % examples;
        try (var two = new Workers(2)) {
            for (boolean split : new boolean[] {false, true}) {
                var network = network(Precision.FLOAT32, inputs, new int[] {40, 2}, rows);
                float[] x32 = network.floatInputs();
                double[] xb = new double[rows * inputs];
                double[] yb = new double[rows];
                new BatchGather(data, order, xb, all32, x32, yb, split).gather(two, 13, rows);
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < inputs; i++)
                        assertEquals((float) all[order[13 + r] * inputs + i], x32[r * inputs + i], "row " + r);
                network.floatInputsGiven(true);
                double[] given = network.forward(xb, rows).clone(); // xb left unwritten: not read
                network.floatInputsGiven(false);
                new BatchGather(data, order, xb, yb, split).gather(two, 13, rows);
                Arrays.fill(x32, Float.NaN); // converted afresh from xb
                assertArrayEquals(network.forward(xb, rows), given, "split " + split);
            }
        }
    }

    @Test
    void gradientsAreFloat64sToFloatPrecisionAndTheOptimizerKeepsDoubles() {
        int inputs = 300;
        int rows = 16;
        double[] x = input(rows * inputs, 6);
        double[] y = input(rows, 7);
        var exact = network(Precision.FLOAT64, inputs, new int[] {64, 1}, rows);
        var single = network(Precision.FLOAT32, inputs, new int[] {64, 1}, rows);
        double lossExact = exact.gradient(TestParts.logCosh(), x, y, rows, 0.01);
        double lossSingle = single.gradient(TestParts.logCosh(), x, y, rows, 0.01);
        assertEquals(lossExact, lossSingle, 1e-5 * Math.abs(lossExact));
        assertNotEquals(lossExact, lossSingle, "float32 rounds");
        for (int l = 0; l < 2; l++) {
            double[] a = exact.weightGradient(l);
            double[] b = single.weightGradient(l);
            double scale = 0;
            for (double v : a) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4 * scale, "layer " + l + ", weight " + i);
            double[] ga = exact.biasGradient(l);
            double[] gb = single.biasGradient(l);
            for (int i = 0; i < ga.length; i++) assertEquals(ga[i], gb[i], 1e-4 * scale, "layer " + l + ", bias " + i);
        }
        // The weights themselves are untouched doubles: float32 is in the products only.
        assertArrayEquals(exact.weights(0), single.weights(0));
    }

    @Test
    void aReplicaComputesInTheSamePrecisionAndModelsSayWhichTheyUse() {
        var network = network(Precision.FLOAT32, 5, new int[] {3, 1}, 2);
        assertEquals(
                Precision.FLOAT32,
                network.replica(new Activation[] {TestParts.softsign(), TestParts.softsign()})
                        .precision());
        assertTrue(network.arithmetic().startsWith("float32 with "), network.arithmetic());
        assertTrue(
                network(Precision.FLOAT64, 5, new int[] {3, 1}, 2).arithmetic().startsWith("float64 with "));
        double[] x = input(10, 8);
        double[] a = network.forward(x, 2).clone();
        network.usePrecision(Precision.FLOAT64);
        double[] b = network.forward(x, 2).clone();
        assertNotEquals(a[0], b[0], "switching back computes in float64 again");
    }

    @Test
    void inTheBatchLoopTheStepsKeepTheFloatWeightsAsTheWeightsAre() {
        int inputs = 300;
        int rows = 16;
        double[] x = input(rows * inputs, 9);
        double[] y = input(rows, 10);
        for (boolean elementwise : new boolean[] {true, false}) {
            var network = network(Precision.FLOAT32, inputs, new int[] {128, 1}, rows);
            var update = elementwise
                    ? new FusedUpdate(network, TestParts.elementwiseSgd(0.1))
                    : new AfterBackwardUpdate(network, TestParts.sgd(0.1), 0);
            network.keepFloatWeights(true);
            for (int batch = 0; batch < 3; batch++) {
                network.gradient(TestParts.logCosh(), x, y, rows, 0.01, update.duringBackward());
                update.step(network.workers(), new double[2]);
                for (int l = 0; l < 2; l++) {
                    float[] kept = network.dense(l).w32;
                    double[] w = network.weights(l);
                    for (int i = 0; i < w.length; i++)
                        assertEquals(
                                (float) w[i], kept[i], "optimizer " + elementwise + ", layer " + l + ", weight " + i);
                }
            }
            double[] trained = network.forward(x, rows).clone();
            network.keepFloatWeights(false);
            assertArrayEquals(trained, network.forward(x, rows), "the same as the float weights made anew");
        }
    }
}
