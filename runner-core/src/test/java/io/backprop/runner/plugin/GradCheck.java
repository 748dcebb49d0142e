package io.backprop.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Derivatives against central differences {@code (f(x + h) - f(x - h)) / 2h}, h = 1e-6, in doubles. A pair passes
 * when the relative error {@code |g - n| / (|g| + |n|)} is below 1e-6 or the absolute error below 1e-8. Shared
 * with plugin modules' tests through runner-core's test-jar.
 */
public final class GradCheck {
    public static final double H = 1e-6;
    public static final double MAX_RELATIVE_ERROR = 1e-6;
    public static final double ABSOLUTE_FLOOR = 1e-8;

    private GradCheck() {}

    /** True when the analytic {@code g} and numeric {@code n} agree. */
    public static boolean agree(double g, double n) {
        double diff = Math.abs(g - n);
        return diff < ABSOLUTE_FLOOR || diff / (Math.abs(g) + Math.abs(n)) < MAX_RELATIVE_ERROR;
    }

    public static double relativeError(double g, double n) {
        double diff = Math.abs(g - n);
        return diff == 0 ? 0 : diff / (Math.abs(g) + Math.abs(n));
    }

    /** The central difference of {@code f} in {@code x[i]}, restoring {@code x[i]}. */
    public static double numeric(double[] x, int i, DoubleSupplier f) {
        double saved = x[i];
        x[i] = saved + H;
        double plus = f.getAsDouble();
        x[i] = saved - H;
        double minus = f.getAsDouble();
        x[i] = saved;
        return (plus - minus) / (2 * H);
    }

    /**
     * Checks {@code backward} as a vector-Jacobian product: for a random upstream {@code da}, {@code dz[i]} must
     * equal the derivative of {@code sum_j da[j] * a[j](z)} in {@code z[i]}. Inputs are drawn from [-2, 2] but kept
     * at least 0.1 from 0, where kinks (ReLU) sit.
     */
    public static void assertVjp(Activation activation, int rows, int cols, long seed) {
        var random = new SplittableRandom(seed);
        int n = rows * cols;
        double[] z = new double[n];
        double[] da = new double[n];
        for (int i = 0; i < n; i++) {
            double v = 0.1 + 1.9 * random.nextDouble();
            z[i] = random.nextBoolean() ? v : -v;
            da[i] = random.nextDouble() * 2 - 1;
        }
        double[] a = new double[n];
        double[] dz = new double[n];
        activation.forward(z, a, rows, cols);
        activation.backward(z, a, da, dz, rows, cols);
        double[] work = new double[n];
        for (int i = 0; i < n; i++) {
            double numeric = numeric(z, i, () -> {
                activation.forward(z, work, rows, cols);
                double s = 0;
                for (int j = 0; j < n; j++) s += da[j] * work[j];
                return s;
            });
            int index = i;
            assertTrue(agree(dz[i], numeric), () -> "dz[" + index + "] = " + dz[index] + ", central difference "
                    + numeric + " (relative error " + relativeError(dz[index], numeric) + ") at z = " + z[index]);
        }
    }

    /** Checks {@code gradient} against central differences of {@code loss} at outputs {@code a} and targets {@code y}. */
    public static void assertCostGradient(Cost cost, double[] a, double[] y, int rows, int cols) {
        double[] da = new double[rows * cols];
        cost.gradient(a, y, da, rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            double numeric = numeric(a, i, () -> cost.loss(a, y, rows, cols));
            int index = i;
            assertTrue(agree(da[i], numeric), () -> "dC/da[" + index + "] = " + da[index] + ", central difference "
                    + numeric + " (relative error " + relativeError(da[index], numeric) + ")");
        }
    }
}
