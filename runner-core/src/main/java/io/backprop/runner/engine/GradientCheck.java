package io.backprop.runner.engine;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Derivatives against central differences {@code (f(x + h) - f(x - h)) / 2h}, h = 1e-6, in doubles. A pair agrees
 * when the relative error {@code |g - n| / (|g| + |n|)} is below 1e-6, or the absolute error below 1e-8 (where
 * both are all but zero and the relative error means nothing).
 */
public final class GradientCheck {
    public static final double H = 1e-6;
    public static final double MAX_RELATIVE_ERROR = 1e-6;
    public static final double ABSOLUTE_FLOOR = 1e-8;

    /**
     * What a check found.
     *
     * @param worstRelativeError the largest relative error among pairs above the absolute floor
     * @param failure            the first pair that disagreed, in words; null when all agreed
     * @param checked            how many derivatives were compared
     */
    public record Result(double worstRelativeError, String failure, int checked) {
        public boolean passed() {
            return failure == null;
        }
    }

    private double worst;
    private String failure;
    private int checked;

    private GradientCheck() {}

    public static boolean agree(double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        return diff < ABSOLUTE_FLOOR || diff / (Math.abs(analytic) + Math.abs(numeric)) < MAX_RELATIVE_ERROR;
    }

    public static double relativeError(double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        return diff == 0 ? 0 : diff / (Math.abs(analytic) + Math.abs(numeric));
    }

    /** The central difference of {@code f} in {@code x[i]}; {@code x[i]} is restored. */
    public static double centralDifference(double[] x, int i, DoubleSupplier f) {
        double saved = x[i];
        x[i] = saved + H;
        double plus = f.getAsDouble();
        x[i] = saved - H;
        double minus = f.getAsDouble();
        x[i] = saved;
        return (plus - minus) / (2 * H);
    }

    private void compare(double analytic, double numeric, String what) {
        checked++;
        if (Math.abs(analytic - numeric) >= ABSOLUTE_FLOOR) worst = Math.max(worst, relativeError(analytic, numeric));
        if (failure == null && !agree(analytic, numeric)) {
            failure = what + " = " + analytic + ", central difference " + numeric
                    + " (relative error " + relativeError(analytic, numeric) + ")";
        }
    }

    private Result result() {
        return new Result(worst, failure, checked);
    }

    /**
     * Every weight and bias gradient of {@link Network#gradient} against central differences of
     * {@link Network#objective} on one batch. The network's weights are left as they were.
     */
    public static Result network(Network network, Cost cost, double[] x, double[] y, int rows, double l2) {
        var check = new GradientCheck();
        for (Result[] layer : byLayer(network, cost, x, y, rows, l2)) {
            for (Result r : layer) check.merge(r);
        }
        return check.result();
    }

    /** As {@link #network}, one result per layer for its weights ([l][0]) and for its biases ([l][1]). */
    public static Result[][] byLayer(Network network, Cost cost, double[] x, double[] y, int rows, double l2) {
        network.gradient(cost, x, y, rows, l2);
        Result[][] results = new Result[network.layers()][2];
        for (int l = 0; l < network.layers(); l++) {
            double[][] params = {network.weights(l), network.biases(l)};
            double[][] grads = {network.weightGradient(l).clone(), network.biasGradient(l).clone()};
            for (int k = 0; k < 2; k++) {
                var check = new GradientCheck();
                for (int i = 0; i < params[k].length; i++) {
                    double numeric = centralDifference(params[k], i, () -> network.objective(cost, x, y, rows, l2));
                    check.compare(grads[k][i], numeric, (k == 0 ? "dC/dW" : "dC/db") + " of layer " + l + " [" + i + "]");
                }
                results[l][k] = check.result();
            }
        }
        return results;
    }

    private void merge(Result r) {
        checked += r.checked();
        worst = Math.max(worst, r.worstRelativeError());
        if (failure == null) failure = r.failure();
    }

    /**
     * {@code backward} as a vector-Jacobian product: for a random upstream {@code da}, {@code dz[i]} must be the
     * derivative of {@code sum_j da[j] * a[j](z)} in {@code z[i]}. Inputs come from [-2, 2], kept at least 0.1
     * from 0, where kinks (ReLU) sit.
     */
    public static Result activation(Activation activation, int rows, int cols, long seed) {
        var check = new GradientCheck();
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
            double numeric = centralDifference(z, i, () -> {
                activation.forward(z, work, rows, cols);
                double s = 0;
                for (int j = 0; j < n; j++) s += da[j] * work[j];
                return s;
            });
            check.compare(dz[i], numeric, "dz[" + i + "] at z = " + z[i]);
        }
        return check.result();
    }

    /** {@code gradient} against central differences of {@code loss} at outputs {@code a} and targets {@code y}. */
    public static Result cost(Cost cost, double[] a, double[] y, int rows, int cols) {
        var check = new GradientCheck();
        double[] da = new double[rows * cols];
        cost.gradient(a, y, da, rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            double numeric = centralDifference(a, i, () -> cost.loss(a, y, rows, cols));
            check.compare(da[i], numeric, "dC/da[" + i + "] at a = " + a[i] + ", y = " + y[i]);
        }
        return check.result();
    }
}
