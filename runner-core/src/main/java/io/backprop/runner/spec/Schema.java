package io.backprop.runner.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The keys of an experiment file, by the mapping that holds them, and the places plugins take: what a message
 * looks through when a key is written where it does not belong ({@code training.lr} for
 * {@code training.optimizer.learning_rate}), or a flag is written for a key ({@code --epochs 10}).
 */
public final class Schema {
    private Schema() {}

    /** Keys by the path of their mapping; {@code []} stands for the items of a list. */
    static final Map<String, List<String>> KEYS = keys();

    /** The places a plugin takes, with its kind. */
    static final Map<String, String> PLUGINS = plugins();

    /** Words people write for a key or a common parameter, and the key they mean. */
    static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("lr", "learning_rate"),
            Map.entry("eta", "learning_rate"),
            Map.entry("step_size", "learning_rate"),
            Map.entry("epochs", "max_epochs"),
            Map.entry("epoch", "max_epochs"),
            Map.entry("num_epochs", "max_epochs"),
            Map.entry("n_epochs", "max_epochs"),
            Map.entry("iterations", "max_epochs"),
            Map.entry("batch", "batch_size"),
            Map.entry("minibatch", "batch_size"),
            Map.entry("mini_batch_size", "batch_size"),
            Map.entry("loss", "cost"),
            Map.entry("loss_function", "cost"),
            Map.entry("weight_decay", "l2"),
            Map.entry("lambda", "l2"),
            Map.entry("regularization", "l2"),
            Map.entry("init", "initializer"),
            Map.entry("weight_init", "initializer"),
            Map.entry("neurons", "units"),
            Map.entry("hidden_units", "units"),
            Map.entry("activation_function", "activation"),
            Map.entry("optim", "optimizer"),
            Map.entry("solver", "optimizer"),
            Map.entry("early_stopping", "stopping"),
            Map.entry("dataset", "data"),
            Map.entry("random_seed", "seed"));

    private static Map<String, List<String>> keys() {
        var keys = new LinkedHashMap<String, List<String>>();
        keys.put("", List.of("name", "seed", "data", "model", "cost", "training", "metrics", "plugins", "sweep"));
        keys.put("data", List.of("train", "validation", "test", "preprocess"));
        keys.put("model", List.of("layers", "initializer", "bias_initializer"));
        keys.put("model.layers[]", layerKeys());
        keys.put(
                "training",
                List.of(
                        "optimizer",
                        "schedule",
                        "batch_size",
                        "l2",
                        "max_epochs",
                        "shuffle",
                        "checkpoint_every",
                        "threads",
                        "clip_norm",
                        "precision",
                        "stopping"));
        keys.put("metrics", List.of("exporters"));
        keys.put("sweep", List.of("grid", "random", "repeats", "objective"));
        keys.put("sweep.random", List.of("trials", "params"));
        keys.put("sweep.objective", List.of("minimize", "maximize"));
        return java.util.Collections.unmodifiableMap(keys);
    }

    /** {@code kind} and every layer kind's keys, from the table of kinds. */
    private static List<String> layerKeys() {
        var keys = new LinkedHashSet<String>();
        keys.add("kind");
        for (var kind : io.backprop.runner.layers.LayerKinds.all()) kind.keys().forEach(k -> keys.add(k.name()));
        return List.copyOf(keys);
    }

    private static Map<String, String> plugins() {
        var plugins = new LinkedHashMap<String, String>();
        plugins.put("data.train", "data source");
        plugins.put("data.validation", "data source");
        plugins.put("data.test", "data source");
        plugins.put("data.preprocess[]", "preprocessor");
        plugins.put("model.layers[].activation", "activation");
        plugins.put("model.initializer", "initializer");
        plugins.put("model.bias_initializer", "initializer");
        plugins.put("cost", "cost");
        plugins.put("training.optimizer", "optimizer");
        plugins.put("training.schedule", "schedule");
        plugins.put("training.stopping[]", "stopping rule");
        plugins.put("metrics.exporters[]", "metrics exporter");
        return java.util.Collections.unmodifiableMap(plugins);
    }

    /** The parameter names of the plugin a kind and name reach, as far as they are known; for messages only. */
    @FunctionalInterface
    public interface PluginParameters {
        PluginParameters NONE = (kind, name) -> List.of();

        Collection<String> of(String kind, String name);
    }

    /** Whether the key at {@code path} holds a mapping of keys of its own ({@code training}), rather than a value. */
    public static boolean holdsKeys(String path) {
        return KEYS.containsKey(anyIndex(path));
    }

    /** Every key's full path, the first item standing for a list's ({@code model.layers[0].units}). */
    public static List<String> paths() {
        List<String> paths = new ArrayList<>();
        KEYS.forEach(
                (mapping, keys) -> keys.forEach(k -> paths.add(join(mapping, k).replace("[]", "[0]"))));
        return paths;
    }

    /**
     * {@link #paths()}, and the parameters of each plugin {@code root} names, at the place it names it
     * ({@code training.optimizer.learning_rate} when {@code training.optimizer} is sgd); {@code root} may be null.
     */
    static List<String> everywhere(Node root, PluginParameters parameters) {
        List<String> paths = paths();
        if (root != null)
            PLUGINS.forEach((at, kind) -> pluginParameters(root, at.split("\\."), 0, "", kind, parameters, paths));
        return paths;
    }

    private static void pluginParameters(
            Node node,
            String[] steps,
            int step,
            String at,
            String kind,
            PluginParameters parameters,
            List<String> paths) {
        if (step == steps.length) {
            String name = node instanceof ScalarNode s ? s.getValue() : null;
            if (node instanceof MappingNode m) {
                name = m.getValue().stream()
                        .filter(t -> isKey(t, "name") && t.getValueNode() instanceof ScalarNode)
                        .map(t -> ((ScalarNode) t.getValueNode()).getValue())
                        .findFirst()
                        .orElse(null);
            }
            if (name != null) parameters.of(kind, name).forEach(p -> paths.add(at + "." + p));
            return;
        }
        boolean items = steps[step].endsWith("[]");
        String key = items ? steps[step].substring(0, steps[step].length() - 2) : steps[step];
        if (!(node instanceof MappingNode m)) return;
        for (NodeTuple t : m.getValue()) {
            if (!isKey(t, key)) continue;
            String p = join(at, key);
            if (!items) {
                pluginParameters(t.getValueNode(), steps, step + 1, p, kind, parameters, paths);
            } else if (t.getValueNode() instanceof SequenceNode seq) {
                for (int i = 0; i < seq.getValue().size(); i++) {
                    pluginParameters(
                            seq.getValue().get(i), steps, step + 1, p + "[" + i + "]", kind, parameters, paths);
                }
            }
        }
    }

    private static boolean isKey(NodeTuple t, String key) {
        return t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key);
    }

    static String join(String mapping, String key) {
        return mapping.isEmpty() ? key : mapping + "." + key;
    }

    /**
     * {@code "unknown key 'lr'; did you mean 'training.optimizer.learning_rate'? (known: ...)"}, with the
     * {@link #hints} when there are any.
     */
    public static String unknown(
            String what,
            String typed,
            String here,
            Collection<String> known,
            Collection<String> everywhere,
            String listLabel) {
        var sorted = new TreeSet<>(known);
        return "unknown " + what + " '" + typed + "'" + Suggestions.didYouMean(hints(typed, here, sorted, everywhere))
                + " (" + listLabel + ": " + (sorted.isEmpty() ? "none" : String.join(", ", sorted)) + ")";
    }

    /**
     * At most three keys a mistyped or misplaced key may be: keys of its mapping, or full paths elsewhere, that are
     * what was typed or what it is an alias of; failing those, near misses in its mapping; failing those, near misses
     * elsewhere. A path elsewhere in the same list item as {@code here} takes its index ({@code model.layers[1].units}).
     *
     * @param here       the path of the mapping the key was written in ({@code model.layers[1]}); null for none, as
     *                   for a command-line option
     * @param known      the keys this mapping takes
     * @param everywhere full paths of keys in the experiment
     */
    public static List<String> hints(
            String typed, String here, Collection<String> known, Collection<String> everywhere) {
        var sorted = new TreeSet<>(known);
        String meant = ALIASES.get(normalize(typed));
        String local = here == null ? null : anyIndex(here);
        List<String> elsewhere = everywhere.stream()
                .filter(p -> !anyIndex(parent(p)).equals(local))
                .map(p -> here == null ? p : alignIndexes(p, here))
                .distinct()
                .toList();
        var hints = new LinkedHashSet<String>();
        sorted.stream().filter(k -> same(k, typed, meant)).forEach(hints::add);
        elsewhere.stream().filter(p -> same(leaf(p), typed, meant)).forEach(hints::add);
        if (hints.isEmpty()) hints.addAll(Suggestions.closest(typed, sorted));
        if (hints.isEmpty()) {
            elsewhere.stream()
                    .filter(p -> Suggestions.near(typed, leaf(p)))
                    .sorted(java.util.Comparator.comparingInt((String p) -> Suggestions.distance(typed, leaf(p))))
                    .forEach(hints::add);
        }
        return hints.stream().limit(3).toList();
    }

    /** {@code model.layers[0].units} seen from {@code model.layers[1].activation} is {@code model.layers[1].units}. */
    private static String alignIndexes(String path, String here) {
        Matcher h = INDEX.matcher(here);
        String item = null;
        while (h.find()) {
            if (anyIndex(path).startsWith(anyIndex(here.substring(0, h.end())))) item = here.substring(0, h.end());
        }
        if (item == null) return path;
        Matcher p = INDEX.matcher(path);
        while (p.find()) {
            if (anyIndex(path.substring(0, p.end())).equals(anyIndex(item))) return item + path.substring(p.end());
        }
        return path;
    }

    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    /** Whether {@code typed} is {@code key} but for case and '-' against '_', or an alias of it. */
    public static boolean sameKey(String typed, String key) {
        return same(key, typed, ALIASES.get(normalize(typed)));
    }

    private static boolean same(String key, String typed, String meant) {
        return normalize(key).equals(normalize(typed)) || key.equals(meant);
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** The last key of a path: {@code units} of {@code model.layers[0].units}. */
    public static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    private static String anyIndex(String path) {
        return INDEX.matcher(path).replaceAll("[]");
    }
}
