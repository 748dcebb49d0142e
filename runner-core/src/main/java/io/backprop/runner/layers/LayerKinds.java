package io.backprop.runner.layers;

import java.util.List;
import java.util.Optional;

/** The table of layer kinds: one line per kind. */
public final class LayerKinds {
    /** What {@code model.layers[i]} is without a {@code kind} key, and what model.json layers without one are. */
    public static final String DEFAULT = "dense";

    private static final List<LayerKind> KINDS = List.of(new DenseKind(), new ScaleKind());

    private LayerKinds() {}

    public static List<LayerKind> all() {
        return KINDS;
    }

    public static List<String> names() {
        return KINDS.stream().map(LayerKind::name).toList();
    }

    public static Optional<LayerKind> find(String name) {
        return KINDS.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The kind of a layer spec, which the spec reader has checked. */
    public static LayerKind of(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no layer kind '" + name + "'"));
    }
}
