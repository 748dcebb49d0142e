package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.GradientCheck;
import io.backprop.runner.engine.Network;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.testkit.PluginChecks;
import java.util.Arrays;
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
        PluginChecks.checkActivationDerivative(p.create(Params.defaults(p)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activationsTouchOnlyTheBatchAndAllowDeltaInPlace(ActivationProvider p) {
        PluginChecks.checkActivationBuffers(p.create(Params.defaults(p)));
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
            PluginChecks.checkCostDerivative(p.create(Params.defaults(p)), a, y, rows, cols);
        }
    }

    /** The output activation for a network with {@code hidden} units under {@code cost}: the same, unless the cost does not fit it. */
    static ActivationProvider outputFor(ActivationProvider hidden, CostProvider cost) {
        var c = cost.create(Params.defaults(cost));
        if (c.misfit(hidden.name()) == null) return hidden;
        return StandardPlugins.activations()
                .filter(a -> c.misfit(a.name()) == null)
                .findFirst()
                .orElseThrow();
    }

    static Stream<Arguments> networks() {
        return StandardPlugins.activations()
                .flatMap(act -> StandardPlugins.costs()
                        .flatMap(cost -> Stream.of(new int[] {3, 1}, new int[] {4, 3, 2}, new int[] {5, 4, 3, 2})
                                .flatMap(units -> Stream.of(1, 5)
                                        .flatMap(rows -> Stream.of(0.0, 0.1)
                                                .map(l2 -> Arguments.of(
                                                        Named.of(act.name(), act),
                                                        Named.of(cost.name(), cost),
                                                        Named.of(Arrays.toString(units), units),
                                                        rows,
                                                        l2))))));
    }

    /**
     * Hidden layers of each activation under each cost, 2 to 4 layers, batches of 1 and 5, with and without L2; the
     * output layer takes the activation too where the cost fits it. Where the cost fuses its delta with the output
     * activation, both the fused delta and the general vector-Jacobian path are checked.
     */
    @ParameterizedTest(name = "{0} {1} {2} batch {3} l2 {4}")
    @MethodSource("networks")
    void wholeNetworkGradientsMatchCentralDifferences(
            ActivationProvider act, CostProvider cost, int[] units, int rows, double l2) {
        var random = new SplittableRandom(units.length * 31L + rows);
        int inputs = 3;
        ActivationProvider out = outputFor(act, cost);
        Activation[] activations = new Activation[units.length];
        for (int l = 0; l < units.length; l++) {
            var p = l == units.length - 1 ? out : act;
            activations[l] = p.create(Params.defaults(p));
        }
        var network = new Network(inputs, units, activations, rows);
        for (int l = 0; l < units.length; l++) {
            double scale = 1 / Math.sqrt(network.fanIn(l));
            for (int i = 0; i < network.weights(l).length; i++) network.weights(l)[i] = random.nextGaussian() * scale;
            for (int i = 0; i < network.biases(l).length; i++) network.biases(l)[i] = 0.1 * random.nextGaussian();
        }
        double[] x = new double[rows * inputs];
        for (int i = 0; i < x.length; i++) x[i] = random.nextDouble() * 2 - 1;
        int outputs = units[units.length - 1];
        double[] y = new double[rows * outputs];
        for (int r = 0; r < rows; r++) {
            if (out.name().equals("softmax"))
                y[r * outputs + random.nextInt(outputs)] = 1; // one-hot, as softmax targets are
            else for (int j = 0; j < outputs; j++) y[r * outputs + j] = random.nextBoolean() ? 1 : 0;
        }
        Cost c = cost.create(Params.defaults(cost));
        var general = GradientCheck.network(network, c, x, y, rows, l2);
        assertTrue(general.passed(), general.failure());
        if (c.fusesWith(out.name())) {
            network.fuseOutputWith(c);
            var fused = GradientCheck.network(network, c, x, y, rows, l2);
            assertTrue(fused.passed(), "fused delta: " + fused.failure());
        }
    }
}
