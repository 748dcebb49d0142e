package io.backprop.runner.plugins.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The masked activations give the bits of the plain {@code z > 0 ? x : y}, signed zeros, infinities and NaN included. */
class MasksTest {
    private static final double[] Z = {
        -2.5,
        -1e-300,
        -0.0,
        0.0,
        1e-300,
        3.0,
        Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY,
        Double.NaN,
        -Double.MIN_VALUE,
        Double.MIN_VALUE,
        7e300,
    };
    private static final double[] DA = {
        1.5, -2.0, -0.0, 0.0, -1e-300, Double.NaN, Double.POSITIVE_INFINITY, 3.0, -4.0, 2.0, -1.0, 0.5
    };

    private static void assertBits(double expected, double actual, String what) {
        assertEquals(
                Double.doubleToRawLongBits(expected),
                Double.doubleToRawLongBits(actual),
                what + ": " + expected + " != " + actual);
    }

    @Test
    void reluLeakyReluAndEluMatchTheirPlainSelects() {
        int n = Z.length;
        double alpha = 0.01;
        double[] a = new double[n];
        double[] dz = new double[n];

        new ReluActivation().backward(Z, null, DA, dz, 1, n);
        for (int i = 0; i < n; i++) assertBits(Z[i] > 0 ? DA[i] : 0, dz[i], "relu backward at z = " + Z[i]);

        var leaky = new LeakyReluActivation(alpha);
        leaky.forward(Z, a, 1, n);
        leaky.backward(Z, a, DA, dz, 1, n);
        for (int i = 0; i < n; i++) {
            assertBits(Z[i] > 0 ? Z[i] : alpha * Z[i], a[i], "leaky forward at z = " + Z[i]);
            assertBits(Z[i] > 0 ? DA[i] : alpha * DA[i], dz[i], "leaky backward at z = " + Z[i]);
        }

        var elu = new EluActivation(alpha);
        elu.forward(Z, a, 1, n);
        elu.backward(Z, a, DA, dz, 1, n);
        for (int i = 0; i < n; i++)
            assertBits(Z[i] > 0 ? DA[i] : DA[i] * (a[i] + alpha), dz[i], "elu backward at z = " + Z[i]);
    }
}
