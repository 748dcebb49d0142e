package io.backprop.runner.engine;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;

/**
 * A cost that {@link Cost#takesClassWeights} with each example weighted by its true class:
 * {@code C = 1/rows * sum_i w[y_i] * C_i}. Divided by the batch's row count, not by the sum of its weights, so that
 * a batch's share of an epoch's gradient stays in proportion to its rows, the last, partial batch too, and a weight
 * means the same in every batch. The gradient and the fused delta are the inner cost's, each row times its weight.
 * Buffers are sized once for one row; nothing is allocated per batch.
 */
public final class ClassWeightedCost implements Cost {
    private final Cost cost;
    private final double[] weights;
    private final double[] rowA;
    private final double[] rowY;

    /** {@code cost} with class {@code c}'s examples weighted by {@code weights[c]}; outputs {@code cols} wide. */
    public ClassWeightedCost(Cost cost, double[] weights, int cols) {
        if (!cost.takesClassWeights())
            throw new IllegalArgumentException(cost.getClass().getName() + " takes no class weights");
        this.cost = cost;
        this.weights = weights.clone();
        rowA = new double[cols];
        rowY = new double[cols];
    }

    /** The cost without its weights: what every reported loss is measured with. */
    public static Cost unweighted(Cost cost) {
        return cost instanceof ClassWeightedCost w ? w.cost : cost;
    }

    private double weight(double[] y, int row, int cols) {
        return weights[Dataset.labelOf(y, row, cols)];
    }

    @Override
    public double loss(double[] a, double[] y, int rows, int cols) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, r * cols, rowA, 0, cols);
            System.arraycopy(y, r * cols, rowY, 0, cols);
            s += weight(y, r, cols) * cost.loss(rowA, rowY, 1, cols);
        }
        return s / rows;
    }

    @Override
    public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
        cost.gradient(a, y, da, rows, cols);
        scaleRows(y, da, rows, cols);
    }

    @Override
    public boolean fusesWith(String outputActivation) {
        return cost.fusesWith(outputActivation);
    }

    @Override
    public void delta(double[] a, double[] y, double[] dz, int rows, int cols) {
        cost.delta(a, y, dz, rows, cols);
        scaleRows(y, dz, rows, cols);
    }

    @Override
    public String misfit(String outputActivation) {
        return cost.misfit(outputActivation);
    }

    @Override
    public boolean takesClassWeights() {
        return true;
    }

    private void scaleRows(double[] y, double[] d, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double w = weight(y, r, cols);
            for (int j = r * cols, end = j + cols; j < end; j++) d[j] *= w;
        }
    }
}
