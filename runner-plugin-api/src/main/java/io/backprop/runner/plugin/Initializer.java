package io.backprop.runner.plugin;

import java.util.random.RandomGenerator;

/**
 * Fills a layer's weights or biases before training.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface Initializer {
    /**
     * Fills {@code values[0, length)}: a weight matrix of {@code fanOut} units by {@code fanIn} inputs, row-major
     * (unit by unit), or a bias vector ({@code length == fanOut}). Random draws come from {@code random} only, in
     * index order, so that a seed fixes the result.
     */
    void initialize(double[] values, int length, int fanIn, int fanOut, RandomGenerator random);

    /**
     * What is being filled: layer {@code layer} (from 0), its weights or its biases. The runner calls this one; the
     * default ignores the layer, which only initializers that copy saved weights need. A {@link PluginException}
     * says the layer does not fit (a saved model of another shape).
     */
    default void initialize(
            double[] values, int length, int layer, boolean biases, int fanIn, int fanOut, RandomGenerator random) {
        initialize(values, length, fanIn, fanOut, random);
    }
}
