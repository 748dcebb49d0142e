package io.backprop.runner.registry;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.Scalar;
import io.backprop.runner.spec.Schema;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Suggestions;
import io.backprop.runner.spec.Where;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/** Checks the scalars an experiment gives a plugin against what the provider declares, each problem at its place. */
final class ParamBinder {
    private ParamBinder() {}

    /**
     * {@code where} is the plugin reference's place, for parameters that are missing; {@code takenBy} names the other
     * providers of the kind that declare a parameter, for one that this provider does not.
     */
    static Params bind(
            PluginProvider<?> provider,
            Map<String, Scalar> given,
            Where where,
            java.nio.file.Path directory,
            Function<String, List<String>> takenBy) {
        var problems = new Problems();
        List<String> names = provider.parameters().stream().map(ParamSpec::name).toList();
        given.forEach((k, v) -> {
            if (!names.contains(k)) problems.add(v.where(), unknown(provider, k, names, where, takenBy));
        });
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec spec : provider.parameters()) {
            Scalar s = given.get(spec.name());
            if (s == null) {
                if (spec.required())
                    problems.add(where, provider.name() + " needs '" + spec.name() + "' (" + spec.expected() + ")");
                continue;
            }
            try {
                values.put(spec.name(), value(spec, s));
            } catch (SpecException e) {
                problems.addAll(e);
            }
        }
        problems.throwIfAny();
        return Params.of(provider, values, directory);
    }

    /**
     * A near miss among the parameters, or an experiment key written among them (found where it belongs); failing
     * those, the providers of the kind that take it.
     */
    private static String unknown(
            PluginProvider<?> provider,
            String typed,
            List<String> names,
            Where where,
            Function<String, List<String>> takenBy) {
        var hints = Schema.hints(typed, where.path(), names, Schema.paths());
        List<String> others = hints.isEmpty() ? takenBy.apply(typed) : List.of();
        String takers = "";
        if (!others.isEmpty()) {
            takers = "; " + String.join(", ", others.subList(0, others.size() - 1)) + (others.size() > 1 ? " and " : "")
                    + others.get(others.size() - 1) + (others.size() == 1 ? " takes it" : " take it");
        }
        return "unknown parameter '" + typed + "'" + Suggestions.didYouMean(hints) + takers + " (" + provider.name()
                + (names.isEmpty()
                        ? " takes no parameters)"
                        : " takes: " + String.join(", ", new TreeSet<>(names)) + ")");
    }

    private static Object value(ParamSpec spec, Scalar s) {
        String expected = spec.expected();
        if (spec.type() == ParamSpec.Type.LIST || spec.type() == ParamSpec.Type.MAP) return collection(spec, s);
        Object value = switch (spec.type()) {
            case BOOLEAN -> s.asBoolean(expected);
            case STRING, PATH -> s.asString(expected);
            case INTEGER -> s.asLong(expected);
            case NUMBER -> s.asDouble(expected);
            case LIST, MAP -> throw new IllegalStateException();
        };
        if (spec.accepts(value)) return value;
        if (value instanceof String v) {
            throw new SpecException(s.where().problem(Suggestions.unknown("value", v, spec.choices(), "allowed")));
        }
        throw s.mismatch(expected);
    }

    /**
     * A list's items or a map's values as strings, each checked against the choices at its own place. A single
     * value where a list is expected is a list of one.
     */
    private static Object collection(ParamSpec spec, Scalar s) {
        boolean map = spec.type() == ParamSpec.Type.MAP;
        if (map && s.type() != Scalar.Type.MAP || !map && s.type() == Scalar.Type.MAP)
            throw s.mismatch(spec.expected());
        List<Scalar> items = s.type() == Scalar.Type.LIST || map ? s.items() : List.of(s);
        var problems = new Problems();
        List<String> values = new java.util.ArrayList<>();
        for (Scalar item : items) {
            // YAML's null (~, or nothing) in a list of strings is the text "null", as a CSV marker says it.
            String v = item.type() == Scalar.Type.NULL ? (item.text().isEmpty() ? "" : item.text()) : item.text();
            if (!spec.choices().isEmpty() && !spec.choices().contains(v)) {
                problems.add(item.where(), Suggestions.unknown("value", v, spec.choices(), "allowed"));
            }
            values.add(v);
        }
        problems.throwIfAny();
        if (!map) return values;
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) entries.put(s.keys().get(i), values.get(i));
        return entries;
    }
}
