package io.backprop.runner.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider's parameter values: every declared parameter present, checked for type and range, in declaration
 * order. Values are Double, Long, Boolean or String, by {@link ParamSpec.Type}; a list is a List of strings and a map
 * a Map of strings to strings, both unmodifiable and in the order written.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public final class Params {
    private final Map<String, Object> values;
    private final Path directory;

    private Params(Map<String, Object> values, Path directory) {
        this.values = Collections.unmodifiableMap(values);
        this.directory = directory;
    }

    /** Every parameter at its default; fails when one is required. */
    public static Params defaults(PluginProvider<?> provider) {
        return of(provider, Map.of());
    }

    /**
     * The given values, the rest at their defaults. Numbers may be any {@link Number} (integral ones for
     * integers). Throws IllegalArgumentException, naming every problem, for unknown names, missing required
     * parameters and values that do not fit their declaration.
     */
    public static Params of(PluginProvider<?> provider, Map<String, ?> given) {
        return of(provider, given, Path.of(""));
    }

    /** As {@link #of(PluginProvider, Map)}, with the directory that {@link #path} resolves against. */
    public static Params of(PluginProvider<?> provider, Map<String, ?> given, Path directory) {
        List<String> problems = new ArrayList<>();
        var specs = provider.parameters();
        for (String name : given.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(name)))
                problems.add(provider.name() + " has no parameter '" + name + "'");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            Object value =
                    given.containsKey(spec.name()) ? normalize(spec, given.get(spec.name())) : spec.defaultValue();
            if (value == null && spec.required()) {
                problems.add(provider.name() + " needs '" + spec.name() + "' (" + spec.expected() + ")");
            } else if (!spec.accepts(value)) {
                problems.add(spec.name() + ": expected " + spec.expected() + ", got " + given.get(spec.name()));
            }
            values.put(spec.name(), value);
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        return new Params(values, directory);
    }

    /** Any Number as the Double or Long the type takes; other values as they are. */
    private static Object normalize(ParamSpec spec, Object value) {
        if (spec.type() == ParamSpec.Type.NUMBER && value instanceof Number n) return n.doubleValue();
        if (spec.type() == ParamSpec.Type.INTEGER
                && (value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            return ((Number) value).longValue();
        }
        if (spec.type() == ParamSpec.Type.LIST && value instanceof List<?> list) return List.copyOf(list);
        if (spec.type() == ParamSpec.Type.MAP && value instanceof Map<?, ?> map) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }
        return value;
    }

    public double getDouble(String name) {
        return (Double) get(name);
    }

    public long getLong(String name) {
        return (Long) get(name);
    }

    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    /** A list parameter's strings. */
    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        return (List<String>) get(name);
    }

    /** A map parameter's entries, in the order written. */
    @SuppressWarnings("unchecked")
    public Map<String, String> getMap(String name) {
        return (Map<String, String>) get(name);
    }

    /** A string parameter as a path, relative ones resolved against the experiment file's directory. */
    public Path path(String name) {
        return directory.resolve(getString(name)).normalize();
    }

    /** Every value in declaration order; what a resolved config records. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object get(String name) {
        if (!values.containsKey(name)) throw new IllegalArgumentException("no parameter '" + name + "' was declared");
        return values.get(name);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
