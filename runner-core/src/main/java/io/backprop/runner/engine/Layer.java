package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.RowTask;
import java.util.random.RandomGenerator;

/**
 * One layer of a {@link Network}: it owns its parameters, their gradients and its buffers for a batch of up to the
 * network's {@code maxBatch} rows, sized once, so that {@link #forward} and {@link #backward} allocate nothing. The
 * network runs the layers forward in order and backward in reverse, handing each the layer below's output and delta
 * buffer; the optimizer, checkpoints, the gradient check, model.json and ONNX export see every layer's {@link #slots}, in order. A new kind of layer is a new
 * implementation here and in the {@code permits} clause (see docs/engine.md).
 */
public sealed interface Layer permits DenseLayer, ScaleLayer {
    /** Outputs per row. */
    int units();

    /** Inputs per row. */
    int fanIn();

    /** The parameter slots, in optimizer order, with their gradients; the layer's own arrays, live. Empty for none. */
    java.util.List<Slot> slots();

    /**
     * A layer of the same shape and settings with buffers and parameter arrays of its own (their values not copied),
     * taking {@code activation} for its own where it has one (null for a layer without).
     */
    Layer replica(io.backprop.runner.plugin.Activation activation, int maxBatch);

    /**
     * From now on the layer's products compute in {@code precision} (its buffers for it made now); a layer without
     * products has nothing to change. Parameters, outputs and deltas stay double either way. A {@link #replica}
     * computes in float64 until told.
     */
    void usePrecision(Precision precision);

    /** This layer's outputs of the last forward pass, {@code rows x units}, before any dropout. */
    double[] activations();

    /** The layer's output as the next layer sees it, in training or not. */
    double[] output(boolean training);

    /** dC/d(output) of the last backward pass, overwritten in place by the layer's own delta during {@link #backward}. */
    double[] delta();

    /** Whether the layer draws a random mask per batch in training. */
    boolean hasDropout();

    /** Draws the layer's random mask for a batch of {@code rows}, where it has one. */
    void sampleDropout(int rows, RandomGenerator random);

    /** The forward pass of {@code in[rows x fanIn]} into the layer's buffers. */
    void forward(double[] in, int rows, Products products, boolean training);

    /**
     * From dC/d(output) in {@link #delta} (or the layer's delta already, with {@code deltaGiven}): fills {@code
     * deltaBelow} (null for the first layer) and the parameter gradients, with {@code l2 * W} on weight matrices. A
     * weight-gradient product split by rows runs {@code duringWeightGradient} on the rows it computes, as it computes
     * them (null for nothing).
     */
    void backward(
            double[] in,
            double[] deltaBelow,
            int rows,
            Products products,
            boolean training,
            boolean deltaGiven,
            double l2,
            RowTask duringWeightGradient);
}
