package io.backprop.runner.testkit;

import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.Scalar;
import io.backprop.runner.spec.Where;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's own way from parameter values to a component: the values as an experiment's scalars, bound to the
 * provider's declarations by the registry (the same checks and messages as a run), and created through
 * {@link Resolved#create}, with the provider's class loader as the thread's context loader.
 */
final class RunnerPaths {
    private RunnerPaths() {}

    /**
     * {@code values} (Double, Long, Integer, Boolean, String, or a List or Map of those) bound to {@code provider}'s
     * parameters; paths resolve against {@code directory}. Values the provider does not accept throw the
     * {@link io.backprop.runner.spec.SpecException} a run would report.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> Resolved<T> resolve(PluginProvider<T> provider, Map<String, ?> values, Path directory) {
        PluginKind kind = PluginChecks.kindOf(provider);
        var where = new Where("test", 1, 1, kind.noun());
        Map<String, Scalar> scalars = new LinkedHashMap<>();
        values.forEach((name, value) -> scalars.put(name, scalar(value, where.at(kind.noun() + "." + name))));
        var ref = new PluginRef(kind.toString(), provider.name(), scalars, where);
        return (Resolved<T>) Registry.of(List.of(provider)).resolve(kind, ref, directory);
    }

    /** {@code value} as YAML would have read it, written plainly (a String is a quoted string). */
    static Scalar scalar(Object value, Where where) {
        if (value instanceof Double || value instanceof Float)
            return new Scalar(value.toString(), Scalar.Type.FLOAT, where);
        if (value instanceof Long || value instanceof Integer)
            return new Scalar(value.toString(), Scalar.Type.INTEGER, where);
        if (value instanceof Boolean) return new Scalar(value.toString(), Scalar.Type.BOOLEAN, where);
        if (value instanceof String s) return new Scalar(s, Scalar.Type.STRING, where);
        if (value instanceof List<?> list) {
            List<Scalar> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++)
                items.add(scalar(list.get(i), where.at(where.path() + "[" + i + "]")));
            return Scalar.list(items, where);
        }
        if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>();
            List<Scalar> items = new ArrayList<>();
            map.forEach((k, v) -> {
                keys.add(k.toString());
                items.add(scalar(v, where.at(where.path() + "." + k)));
            });
            return Scalar.map(keys, items, where);
        }
        throw new IllegalArgumentException("a parameter value is a Double, Long, Boolean, String, List or Map, not "
                + (value == null ? "null" : value.getClass().getName()));
    }
}
