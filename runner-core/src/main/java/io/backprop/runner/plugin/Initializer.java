package io.backprop.runner.plugin;

import java.util.random.RandomGenerator;

/** Fills a layer's weights or biases before training. */
public interface Initializer {
    /**
     * Fills {@code values[0, length)}: a weight matrix of {@code fanOut} units by {@code fanIn} inputs, row-major
     * (unit by unit), or a bias vector ({@code length == fanOut}). Random draws come from {@code random} only, in
     * index order, so that a seed fixes the result.
     */
    void initialize(double[] values, int length, int fanIn, int fanOut, RandomGenerator random);
}
