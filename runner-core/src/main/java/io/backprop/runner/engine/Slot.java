package io.backprop.runner.engine;

import java.util.Objects;

/**
 * One parameter array of a layer, as everything outside the layer sees it: the optimizer steps it, checkpoints save
 * it, the gradient check perturbs it and model.json and ONNX export write it by its {@code name}. Its values are laid
 * out {@code rows x cols} row by row as the layer keeps them; the gradient-norm metric of a layer is the norm of its
 * first slot's gradient taken row by row, in row order, so it has the same bits whatever the thread count.
 *
 * @param name        the slot's name within its layer ({@code weights}, {@code biases}, {@code gamma}), as model.json keys it
 * @param values      the layer's own array, live
 * @param gradient    dC/d(values) of the last backward pass, laid out as {@code values}; the layer's own, live
 * @param regularized whether L2 applies to it (weight matrices; not biases or scales)
 * @param inputRows   whether row r belongs to input r of the layer alone, so that an input 0 in every row of a batch
 *                    leaves the row's entries unable to move the outputs (the gradient check skips their loss)
 */
public record Slot(
        String name, double[] values, double[] gradient, int rows, int cols, boolean regularized, boolean inputRows) {
    public Slot {
        Objects.requireNonNull(name, "name is null");
        if (values.length != rows * cols || gradient.length != values.length) {
            throw new IllegalArgumentException(
                    "slot " + name + " of " + values.length + " values for " + rows + " x " + cols);
        }
    }
}
