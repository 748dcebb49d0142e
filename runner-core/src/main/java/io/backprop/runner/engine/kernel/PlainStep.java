package io.backprop.runner.engine.kernel;

/**
 * The rows of a weight gradient handed over as they are computed ({@link RowTask}), where the step that follows is
 * plain gradient descent, which the native product then applies itself as it computes each gradient, never writing it
 * out: {@code w -= rate * g} (a multiply, then a subtraction: the bits of the optimizer's own step), the float copy of
 * each new weight where the weights have one, and the squares of each row's gradients in the eight lanes of {@link
 * Dense#sumOfSquares(double[], int, int)}. The product then calls {@link #stepped} on the rows instead of {@link
 * #rows}; where it cannot apply the step (the Java kernels, a product split by columns), it writes the gradient and
 * calls {@link #rows} as for any task.
 */
public interface PlainStep extends RowTask {
    /** The rate of this batch's step; NaN where the step is not plain gradient descent, for the product to leave. */
    double rate();

    /** The float copy of the weights, kept as the weights are stepped; null where there is none. */
    float[] floatWeights();

    /**
     * Eight lanes per row of the weight gradient ({@code fanIn x 8}): the product zeroes a row's lanes, then adds the
     * square of the gradient in column j to lane {@code j % 8} (from the row's last multiple of 8, to lane 0), columns
     * ascending; {@link Dense#sumOfLanes} then gives the row's sum of squares, with the bits of {@link
     * Dense#sumOfSquares(double[], int, int)}.
     */
    double[] squares();

    /** Rows {@code [from, to)} are stepped; their lanes in {@link #squares} are complete. */
    void stepped(int from, int to);
}
