package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.NetworkGradCheck;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.GradCheck;
import io.backprop.runner.plugin.Params;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every activation, every cost and whole networks of them, against central differences. */
class DerivativesTest {
    static Stream<Named<ActivationProvider>> activations() {
        return StandardPlugins.activations().map(p -> Named.of(p.name(), p));
    }

    static Stream<Named<CostProvider>> costs() {
        return StandardPlugins.costs().map(p -> Named.of(p.name(), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activationBackwardIsTheVectorJacobianProduct(ActivationProvider p) {
        Activation activation = p.create(Params.defaults(p));
        GradCheck.assertVjp(activation, 1, 5, 1);
        GradCheck.assertVjp(activation, 4, 3, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activationsTouchOnlyTheBatchAndAllowDeltaInPlace(ActivationProvider p) {
        Activation activation = p.create(Params.defaults(p));
        double[] z = {0.3, -0.7, 1.2, -1.9, 42};
        double[] a = {0, 0, 0, 0, -1};
        activation.forward(z, a, 2, 2);
        assertTrue(a[4] == -1, "wrote past the batch");
        double[] da = {0.5, -0.25, 1, 2, 7};
        double[] separate = new double[5];
        activation.backward(z, a, da, separate, 2, 2);
        activation.backward(z, a, da, da, 2, 2);
        assertArrayEquals(new double[] {separate[0], separate[1], separate[2], separate[3], 7}, da);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("costs")
    void costGradientIsTheDerivativeOfTheBatchMeanLoss(CostProvider p) {
        var random = new SplittableRandom(4);
        for (int rows : new int[] {1, 3}) {
            int cols = 2;
            double[] a = new double[rows * cols];
            double[] y = new double[rows * cols];
            for (int i = 0; i < a.length; i++) {
                a[i] = 0.05 + 0.9 * random.nextDouble();
                y[i] = random.nextBoolean() ? 1 : 0;
            }
            GradCheck.assertCostGradient(p.create(Params.defaults(p)), a, y, rows, cols);
        }
    }

    static Stream<Arguments> networks() {
        return StandardPlugins.activations().flatMap(act -> StandardPlugins.costs().flatMap(cost ->
                Stream.of(new int[] {3, 1}, new int[] {4, 3, 2}, new int[] {5, 4, 3, 2}).flatMap(units ->
                        Stream.of(1, 5).flatMap(rows -> Stream.of(0.0, 0.1).map(l2 -> Arguments.of(
                                Named.of(act.name(), act), Named.of(cost.name(), cost),
                                Named.of(java.util.Arrays.toString(units), units), rows, l2))))));
    }

    @ParameterizedTest(name = "{0} {1} {2} batch {3} l2 {4}")
    @MethodSource("networks")
    void wholeNetworkGradientsMatchCentralDifferences(ActivationProvider act, CostProvider cost, int[] units, int rows, double l2) {
        var random = new SplittableRandom(units.length * 31L + rows);
        int inputs = 3;
        Activation[] activations = new Activation[units.length];
        for (int l = 0; l < units.length; l++) activations[l] = act.create(Params.defaults(act));
        var network = new Network(inputs, units, activations, rows);
        for (int l = 0; l < units.length; l++) {
            double scale = 1 / Math.sqrt(network.fanIn(l));
            for (int i = 0; i < network.weights(l).length; i++) network.weights(l)[i] = random.nextGaussian() * scale;
            for (int i = 0; i < network.biases(l).length; i++) network.biases(l)[i] = 0.1 * random.nextGaussian();
        }
        double[] x = new double[rows * inputs];
        for (int i = 0; i < x.length; i++) x[i] = random.nextDouble() * 2 - 1;
        double[] y = new double[rows * units[units.length - 1]];
        for (int i = 0; i < y.length; i++) y[i] = random.nextBoolean() ? 1 : 0;
        double worst = NetworkGradCheck.assertGradients(network, cost.create(Params.defaults(cost)), x, y, rows, l2);
        assertTrue(worst < 1e-6, "worst relative error " + worst);
    }
}
