package io.backprop.runner.plugin;

/**
 * A cost over a batch: network outputs {@code a} and targets {@code y}, both {@code rows x cols} row-major.
 * The cost of a batch is the mean over its examples, {@code C = 1/rows * sum_x C_x}. Allocates nothing.
 */
public interface Cost {
    /** The batch-mean cost. */
    double loss(double[] a, double[] y, int rows, int cols);

    /** {@code da = dC/da} of the batch-mean cost (so it includes the {@code 1/rows}); {@code da} aliases neither input. */
    void gradient(double[] a, double[] y, double[] da, int rows, int cols);
}
