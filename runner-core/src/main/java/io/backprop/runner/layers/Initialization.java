package io.backprop.runner.layers;

/**
 * The experiment's initializer plugins, as a layer kind draws its initial parameters from them: each call fills
 * {@code values} in the order the plugin defines its draws (unit by unit), from the one initialization stream.
 */
public interface Initialization {
    /** From {@code model.initializer}, for layer {@code layer} of {@code fanIn} inputs and {@code units} outputs. */
    void weights(double[] values, int layer, int fanIn, int units);

    /** From {@code model.bias_initializer}. */
    void biases(double[] values, int layer, int fanIn, int units);
}
