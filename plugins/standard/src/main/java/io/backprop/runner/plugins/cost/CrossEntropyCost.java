package io.backprop.runner.plugins.cost;

import io.backprop.runner.plugin.Cost;

/**
 * {@code C = -1/rows sum y ln a}, so {@code dC/da = -y / (a rows)}; through softmax, for targets that sum to 1
 * per row, this becomes {@code dC/dz = (a - y) / rows}, which is used.
 */
final class CrossEntropyCost implements Cost {
    /** The smallest output the loss takes a logarithm of: a confident wrong answer costs much, not infinity. */
    private static final double EPSILON = 1e-15;

    @Override
    public double loss(double[] a, double[] y, int rows, int cols) {
        double s = 0;
        for (int i = 0, n = rows * cols; i < n; i++) {
            if (y[i] != 0) s -= y[i] * Math.log(Math.max(a[i], EPSILON));
        }
        return s / rows;
    }

    @Override
    public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) da[i] = -y[i] / (Math.max(a[i], EPSILON) * rows);
    }

    @Override
    public String misfit(String outputActivation) {
        return outputActivation.equals("softmax")
                ? null
                : "it needs outputs that are class probabilities summing to 1: softmax outputs";
    }

    @Override
    public boolean takesClassWeights() {
        return true;
    }

    @Override
    public boolean fusesWith(String outputActivation) {
        return outputActivation.equals("softmax");
    }

    @Override
    public void delta(double[] a, double[] y, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) dz[i] = (a[i] - y[i]) / rows;
    }
}
