package io.backprop.runner.plugin;

/**
 * A cost over a batch: network outputs {@code a} and targets {@code y}, both {@code rows x cols} row-major.
 * The cost of a batch is the mean over its examples, {@code C = 1/rows * sum_x C_x}. Allocates nothing.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface Cost {
    /** The batch-mean cost. */
    double loss(double[] a, double[] y, int rows, int cols);

    /** {@code da = dC/da} of the batch-mean cost (so it includes the {@code 1/rows}); {@code da} aliases neither input. */
    void gradient(double[] a, double[] y, double[] da, int rows, int cols);

    /**
     * Why this cost does not fit outputs of the named output activation (its plugin name, "relu"), in words the
     * user reads after "cross-entropy does not fit relu outputs: "; null when it fits. Checked before training.
     */
    default String misfit(String outputActivation) {
        return null;
    }

    /**
     * Whether this cost takes class weights ({@code cost: {name: .., class_weights: ..}}), which the runner applies by
     * multiplying each example's share of the loss, of {@link #gradient} and of {@link #delta} by its class's weight.
     * A cost that says so promises that it is a mean over examples of a term read from that example's row alone:
     * {@code loss} of a batch is the mean of {@code loss} of each of its rows taken as a batch of one, and each row of
     * {@code gradient} and {@code delta} is that row's own, divided by {@code rows}. The cross-entropy costs are.
     */
    default boolean takesClassWeights() {
        return false;
    }

    /** Whether {@link #delta} stands in for the output activation's backward pass (cross-entropy on softmax). */
    default boolean fusesWith(String outputActivation) {
        return false;
    }

    /**
     * {@code dz = dC/dz} of the output layer straight from its outputs, for an output activation this cost
     * {@link #fusesWith}: one pass, and exact where the chain of two would lose digits.
     */
    default void delta(double[] a, double[] y, double[] dz, int rows, int cols) {
        throw new UnsupportedOperationException(getClass().getName() + " fuses with no activation");
    }
}
