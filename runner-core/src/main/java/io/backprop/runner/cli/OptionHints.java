package io.backprop.runner.cli;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.registry.PluginInfo;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.spec.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An unknown option that is an experiment key in disguise: {@code --epochs 10} is {@code --set training.max_epochs=10}. */
final class OptionHints {
    /** Places of one plugin each whose built-ins' parameters an option may name ({@code --lr}, {@code --std}). */
    private static final Map<String, PluginKind<?>> PLUGINS = Map.of(
            "data.train",
            PluginKind.DATA_SOURCE,
            "model.initializer",
            PluginKind.INITIALIZER,
            "cost",
            PluginKind.COST,
            "training.optimizer",
            PluginKind.OPTIMIZER,
            "training.schedule",
            PluginKind.SCHEDULE);

    private OptionHints() {}

    /**
     * The {@code --set path=value} an option may have meant, at most three: keys (and built-in plugins' parameters)
     * its name is, but for '-' against '_', or an alias of; failing those, when {@code orNearMisses}, near misses.
     *
     * @param value what followed the option, or null
     */
    static List<String> setFor(String option, String value, boolean orNearMisses) {
        String key = option.replaceFirst("^-+", "").replace('-', '_');
        if (key.isEmpty()) return List.of();
        var hints = Schema.hints(key, null, List.of(), candidates());
        boolean exact = hints.stream().anyMatch(h -> Schema.sameKey(key, Schema.leaf(h)));
        if (!exact && !orNearMisses) return List.of();
        return hints.stream()
                .filter(h -> !exact || Schema.sameKey(key, Schema.leaf(h)))
                .map(h -> "--set " + h + "=" + (value == null ? "VALUE" : value))
                .toList();
    }

    private static List<String> candidates() {
        List<String> paths = new ArrayList<>(
                Schema.paths().stream().filter(p -> !Schema.holdsKeys(p)).toList());
        Registry registry = Registry.builtIn();
        PLUGINS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> registry.list(e.getValue()).stream()
                        .map(PluginInfo::parameters)
                        .flatMap(List::stream)
                        .map(ParamSpec::name)
                        .distinct()
                        .forEach(p -> paths.add(e.getKey() + "." + p)));
        return paths.stream().distinct().toList();
    }
}
