package io.backprop.runner.plugins.cost;

import io.backprop.runner.plugin.Cost;

/** {@code C = 1/(2 rows) sum ||a - y||^2}, so {@code dC/da = (a - y) / rows}. */
final class QuadraticCost implements Cost {
    @Override
    public double loss(double[] a, double[] y, int rows, int cols) {
        double s = 0;
        for (int i = 0, n = rows * cols; i < n; i++) {
            double d = a[i] - y[i];
            s += d * d;
        }
        return s / (2.0 * rows);
    }

    @Override
    public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
        double scale = 1.0 / rows;
        for (int i = 0, n = rows * cols; i < n; i++) da[i] = (a[i] - y[i]) * scale;
    }
}
