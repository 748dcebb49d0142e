package io.backprop.runner.plugins.cost;

import io.backprop.runner.plugin.Cost;

/**
 * {@code C = -1/rows sum [y ln a + (1 - y) ln(1 - a)]}, so {@code dC/da = (a - y) / (a (1 - a) rows)}; with sigmoid
 * outputs the product with {@code g'(z) = a (1 - a)} cancels to {@code dC/dz = (a - y) / rows}, which is used.
 */
final class BinaryCrossEntropyCost implements Cost {
    /** Outputs are kept this far from 0 and 1 in the loss, so a saturated unit costs much but not infinity. */
    private static final double EPSILON = 1e-15;

    @Override
    public double loss(double[] a, double[] y, int rows, int cols) {
        double s = 0;
        for (int i = 0, n = rows * cols; i < n; i++) {
            double p = Math.min(Math.max(a[i], EPSILON), 1 - EPSILON);
            s -= y[i] * Math.log(p) + (1 - y[i]) * Math.log1p(-p);
        }
        return s / rows;
    }

    @Override
    public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) {
            double p = Math.min(Math.max(a[i], EPSILON), 1 - EPSILON);
            da[i] = (p - y[i]) / (p * (1 - p) * rows);
        }
    }

    @Override
    public String misfit(String outputActivation) {
        return outputActivation.equals("sigmoid")
                ? null
                : "it needs outputs that are probabilities in (0, 1), one per yes/no question: sigmoid outputs";
    }

    @Override
    public boolean takesClassWeights() {
        return true;
    }

    @Override
    public boolean fusesWith(String outputActivation) {
        return outputActivation.equals("sigmoid");
    }

    @Override
    public void delta(double[] a, double[] y, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) dz[i] = (a[i] - y[i]) / rows;
    }
}
