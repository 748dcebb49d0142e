package io.backprop.runner.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the products of a network's dense layers compute in ({@code training.precision}). {@link #FLOAT64}, the
 * default, is exact to the last bit on every machine. {@link #FLOAT32} is the fast choice: each dense layer runs its
 * three products on float copies of its input, weights and delta, with float sums (fused multiply-add where the
 * processor has it), each result widened to double as it is written; the weights the optimizer steps, the bias, the
 * L2 term, every element-wise step, the loss and the metrics stay in double, so plugins see doubles either way.
 */
public enum Precision {
    FLOAT64,
    FLOAT32;

    /** As written in YAML and model.json: {@code float64}, {@code float32}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision named {@code name} as {@link #yamlName} writes it. */
    public static Optional<Precision> find(String name) {
        return Arrays.stream(values()).filter(p -> p.yamlName().equals(name)).findFirst();
    }

    /** The names, in order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Precision::yamlName).toList();
    }
}
