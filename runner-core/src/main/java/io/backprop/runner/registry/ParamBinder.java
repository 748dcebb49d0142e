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

/** Checks the scalars an experiment gives a plugin against what the provider declares, each problem at its place. */
final class ParamBinder {
    private ParamBinder() {}

    /** {@code where} is the plugin reference's place, for parameters that are missing. */
    static Params bind(PluginProvider<?> provider, Map<String, Scalar> given, Where where, java.nio.file.Path directory) {
        var problems = new Problems();
        List<String> names = provider.parameters().stream().map(ParamSpec::name).toList();
        given.forEach((k, v) -> {
            if (!names.contains(k)) {
                // A key of the experiment written among a plugin's parameters is found where it belongs.
                problems.add(v.where(), names.isEmpty()
                        ? "unknown parameter '" + k + "'" + Suggestions.didYouMean(Schema.hints(k, where.path(), names, Schema.paths()))
                                + " (" + provider.name() + " takes no parameters)"
                        : Schema.unknown("parameter", k, where.path(), names, Schema.paths(), provider.name() + " takes"));
            }
        });
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec spec : provider.parameters()) {
            Scalar s = given.get(spec.name());
            if (s == null) {
                if (spec.required()) problems.add(where, provider.name() + " needs '" + spec.name() + "' (" + spec.expected() + ")");
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

    private static Object value(ParamSpec spec, Scalar s) {
        String expected = spec.expected();
        Object value = switch (spec.type()) {
            case BOOLEAN -> s.asBoolean(expected);
            case STRING, PATH -> s.asString(expected);
            case INTEGER -> s.asLong(expected);
            case NUMBER -> s.asDouble(expected);
        };
        if (spec.accepts(value)) return value;
        if (value instanceof String v) {
            throw new SpecException(s.where().problem(Suggestions.unknown("value", v, spec.choices(), "allowed")));
        }
        throw s.mismatch(expected);
    }
}
