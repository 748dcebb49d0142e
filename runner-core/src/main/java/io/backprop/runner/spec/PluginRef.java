package io.backprop.runner.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named part of the experiment: a bare name ({@code sigmoid}) or a map with {@code name} and the plugin's
 * parameters ({@code {name: normal, std: 0.5}}). Parameters stay unchecked scalars here; the plugin registry
 * checks them against what the provider declares.
 *
 * @param kind   the plugin kind this position takes ("activation"), for messages
 * @param name   the plugin name as written
 * @param params parameters in the order written
 * @param where  where the name stands
 */
public record PluginRef(String kind, String name, Map<String, Scalar> params, Where where) {
    public PluginRef {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(where, "where is null");
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A reference made in code (defaults, tests): no parameters, no line. */
    public static PluginRef of(String kind, String name, String source, String path) {
        return new PluginRef(kind, name, Map.of(), Where.of(source).at(path));
    }
}
