package io.backprop.runner.plugin;

import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.Scalar;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Suggestions;
import io.backprop.runner.spec.Where;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider's parameter values: every declared parameter present, checked for type and range, in declaration
 * order. Values are Double, Long, Boolean or String, by {@link ParamSpec.Type}.
 */
public final class Params {
    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Every parameter at its default; fails when one is required. */
    public static Params defaults(PluginProvider<?> provider) {
        return of(provider, Map.of());
    }

    /** The given values (Number, Boolean or String), the rest at their defaults; IllegalArgumentException when invalid. */
    public static Params of(PluginProvider<?> provider, Map<String, ?> given) {
        Map<String, Scalar> scalars = new LinkedHashMap<>();
        Where where = Where.of(provider.name());
        given.forEach((k, v) -> scalars.put(k, new Scalar(String.valueOf(v), typeOf(v), where.at(k))));
        try {
            return bind(provider, scalars, where, "");
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Scalar.Type typeOf(Object v) {
        if (v == null) return Scalar.Type.NULL;
        if (v instanceof Double || v instanceof Float) return Scalar.Type.FLOAT;
        if (v instanceof Number) return Scalar.Type.INTEGER;
        return v instanceof Boolean ? Scalar.Type.BOOLEAN : Scalar.Type.STRING;
    }

    /**
     * Checks the scalars written in an experiment against the provider's declared parameters; every problem found
     * is thrown at once, each at its own place.
     */
    static Params bind(PluginProvider<?> provider, Map<String, Scalar> given, Where where, String path) {
        var problems = new Problems();
        Map<String, Object> values = new LinkedHashMap<>();
        List<ParamSpec> specs = provider.parameters();
        var names = specs.stream().map(ParamSpec::name).toList();
        given.forEach((k, v) -> {
            if (!names.contains(k)) {
                problems.add(v.where(), Suggestions.unknown("parameter", k, names, provider.name() + " takes")
                        .replace("(" + provider.name() + " takes: none)", "(" + provider.name() + " takes no parameters)"));
            }
        });
        for (ParamSpec spec : specs) {
            Scalar s = given.get(spec.name());
            if (s == null) {
                if (spec.required()) {
                    problems.add(where.at(path), provider.name() + " needs '" + spec.name() + "' (" + spec.expected() + ")");
                }
                values.put(spec.name(), spec.defaultValue());
                continue;
            }
            try {
                values.put(spec.name(), value(spec, s));
            } catch (SpecException e) {
                problems.addAll(e);
            }
        }
        problems.throwIfAny();
        return new Params(values);
    }

    private static Object value(ParamSpec spec, Scalar s) {
        String expected = spec.expected();
        switch (spec.type()) {
            case BOOLEAN:
                return s.asBoolean(expected);
            case STRING: {
                String v = s.asString(expected);
                if (!spec.choices().isEmpty() && !spec.choices().contains(v)) {
                    throw new SpecException(s.where().problem(Suggestions.unknown("value", v, spec.choices(), "allowed")));
                }
                return v;
            }
            case INTEGER: {
                long v = s.asLong(expected);
                if (v < spec.min() || v > spec.max()) throw s.mismatch(expected);
                return v;
            }
            default: {
                double v = s.asDouble(expected);
                boolean low = spec.minExclusive() ? v > spec.min() : v >= spec.min();
                if (!low || v > spec.max()) throw s.mismatch(expected);
                return v;
            }
        }
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
