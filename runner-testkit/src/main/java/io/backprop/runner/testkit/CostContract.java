package io.backprop.runner.testkit;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.CostProvider;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract of a cost: the gradient is the derivative of the batch-mean loss, and it trains a network.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class CostContract extends ProviderContract<Cost, CostProvider> {
    /** Network outputs where the cost is defined; default: uniform in (0.05, 0.95), as sigmoid outputs are. */
    protected double[] outputs(int rows, int cols, SplittableRandom random) {
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) a[i] = 0.05 + 0.9 * random.nextDouble();
        return a;
    }

    /** Targets the cost accepts; default: 0 or 1. */
    protected double[] targets(int rows, int cols, SplittableRandom random) {
        double[] y = new double[rows * cols];
        for (int i = 0; i < y.length; i++) y[i] = random.nextBoolean() ? 1 : 0;
        return y;
    }

    /** The output activation for the short training run (one output, 0/1 targets); default: the logistic sigmoid. */
    protected Activation outputActivation() {
        return Reference.logistic();
    }

    /** Whether the short training run has two outputs with one-hot targets (for softmax outputs); default: one 0/1 output. */
    protected boolean oneHotTargets() {
        return false;
    }

    @Test
    public void gradientIsTheDerivativeOfTheBatchMeanLoss() {
        var random = new SplittableRandom(4);
        for (Map<String, ?> values : parameterSets()) {
            for (int[] shape : new int[][] {{1, 1}, {1, 3}, {5, 2}}) {
                PluginChecks.checkCostDerivative(
                        create(values),
                        outputs(shape[0], shape[1], random),
                        targets(shape[0], shape[1], random),
                        shape[0],
                        shape[1]);
            }
        }
    }

    /**
     * A cost that {@link Cost#takesClassWeights} is a mean over rows of each row's own term, which is what lets the
     * runner weight rows: the batch's loss and gradient are those of its rows one by one.
     */
    @Test
    public void aCostThatTakesClassWeightsIsAMeanOverItsRows() {
        var random = new SplittableRandom(9);
        for (Map<String, ?> values : parameterSets()) {
            Cost cost = create(values);
            if (!cost.takesClassWeights()) continue;
            int rows = 4;
            int cols = 3;
            double[] a = outputs(rows, cols, random);
            double[] y = targets(rows, cols, random);
            double[] whole = new double[rows * cols];
            cost.gradient(a, y, whole, rows, cols);
            double rowMean = 0;
            double[] one = new double[cols];
            for (int r = 0; r < rows; r++) {
                double[] ar = java.util.Arrays.copyOfRange(a, r * cols, (r + 1) * cols);
                double[] yr = java.util.Arrays.copyOfRange(y, r * cols, (r + 1) * cols);
                rowMean += cost.loss(ar, yr, 1, cols) / rows;
                cost.gradient(ar, yr, one, 1, cols);
                for (int j = 0; j < cols; j++) {
                    close(one[j] / rows, whole[r * cols + j], "gradient row " + r + " alone, over " + rows + " rows");
                }
            }
            close(rowMean, cost.loss(a, y, rows, cols), "the loss is the mean of its rows' losses");
        }
    }

    private static void close(double expected, double actual, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    public void trainsASmallNetwork() {
        var check = new TrainingCheck()
                .output(outputActivation())
                .cost(create(parameterSets().get(0)));
        (oneHotTargets() ? check.oneHot() : check).assertLossFalls();
    }
}
