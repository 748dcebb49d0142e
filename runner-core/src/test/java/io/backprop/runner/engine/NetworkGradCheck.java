package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.GradCheck;

/**
 * Whole-network gradient checks: every weight and bias gradient of {@link Network#gradient} against central
 * differences of {@link Network#objective}. Shared with plugin modules' tests through runner-core's test-jar.
 */
public final class NetworkGradCheck {
    private NetworkGradCheck() {}

    /** Returns the largest relative error seen; fails on the first parameter that disagrees. */
    public static double assertGradients(Network network, Cost cost, double[] x, double[] y, int rows, double l2) {
        network.gradient(cost, x, y, rows, l2);
        double worst = 0;
        for (int l = 0; l < network.layers(); l++) {
            double[][] params = {network.weights(l), network.biases(l)};
            double[][] grads = {network.weightGradient(l).clone(), network.biasGradient(l).clone()};
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < params[k].length; i++) {
                    double numeric = GradCheck.numeric(params[k], i, () -> network.objective(cost, x, y, rows, l2));
                    double analytic = grads[k][i];
                    String what = (k == 0 ? "dC/dW" : "dC/db") + " of layer " + l + " [" + i + "]";
                    assertTrue(GradCheck.agree(analytic, numeric), () -> what + " = " + analytic + ", central difference "
                            + numeric + " (relative error " + GradCheck.relativeError(analytic, numeric) + ")");
                    if (Math.abs(analytic - numeric) >= GradCheck.ABSOLUTE_FLOOR) {
                        worst = Math.max(worst, GradCheck.relativeError(analytic, numeric));
                    }
                }
            }
        }
        return worst;
    }
}
