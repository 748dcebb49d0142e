package io.backprop.runner.layers;

import java.util.Objects;

/**
 * A key a layer kind takes in {@code model.layers[i]}, as the spec reader checks it and messages name it.
 *
 * @param name     the key as written ({@code units})
 * @param type     what its value must be
 * @param required whether it must be written; else {@code fallback} stands for it
 * @param fallback the value when it is not written (Integer, Double, or an activation's name); null when required
 */
public record LayerKey(String name, Type type, boolean required, Object fallback) {
    /** The value types a layer key takes; each has one check and one set of messages in the spec reader. */
    public enum Type {
        /** An integer from 1 to 2^20: a width. */
        UNITS("an integer >= 1"),
        /** A probability from 0 up to (not including) 1, only on a hidden layer: a dropout rate. */
        HIDDEN_PROBABILITY("a probability from 0 to below 1"),
        /** An activation plugin, a name or {@code {name: .., param: ..}}. */
        ACTIVATION("an activation such as tanh");

        /** What a message says the value should be. */
        public final String expected;

        Type(String expected) {
            this.expected = expected;
        }
    }

    public LayerKey {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        if (required != (fallback == null))
            throw new IllegalArgumentException("key " + name + ": a default exactly when not required");
    }

    public static LayerKey required(String name, Type type) {
        return new LayerKey(name, type, true, null);
    }

    public static LayerKey optional(String name, Type type, Object fallback) {
        return new LayerKey(name, type, false, fallback);
    }
}
