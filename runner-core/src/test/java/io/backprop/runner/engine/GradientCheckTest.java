package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Activation;
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
        assertTrue(result.failure().startsWith("dz[0] at z = "), result.failure());
        assertTrue(GradientCheck.activation(TestParts.softmax(), 3, 4, 1).passed());
    }
}
