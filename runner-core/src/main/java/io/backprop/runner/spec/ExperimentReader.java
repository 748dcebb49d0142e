package io.backprop.runner.spec;

import io.backprop.runner.engine.Precision;
import io.backprop.runner.layers.LayerKey;
import io.backprop.runner.layers.LayerKind;
import io.backprop.runner.layers.LayerKinds;
import io.backprop.runner.spec.Experiment.DataSpec;
import io.backprop.runner.spec.Experiment.Holdout;
import io.backprop.runner.spec.Experiment.LayerSpec;
import io.backprop.runner.spec.Experiment.MetricsSpec;
import io.backprop.runner.spec.Experiment.ModelSpec;
import io.backprop.runner.spec.Experiment.PluginLocation;
import io.backprop.runner.spec.Experiment.TrainingSpec;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads an experiment file (schema v1) into an {@link Experiment}. The YAML is composed to a node tree, never
 * constructed into objects, so no tag can instantiate a class, and every value keeps its line and column. All
 * problems are collected and thrown together as one {@link SpecException}. Before binding, the file is merged onto
 * the files it extends ({@link Composition}), {@code --set} is applied and {@code ${...}} resolved
 * ({@link Interpolation}); each node still knows its file, so a message names the file it was written in.
 */
public final class ExperimentReader {
    /** The most threads {@code training.threads} (and {@code --threads}) may ask for. */
    public static final int MAX_THREADS = 1024;

    private static final Pattern NAME = RunName.NAME;
    private static final Set<Tag> SCALAR_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);

    /** Optional keys for which null is a value of its own, not "leave it out". */
    private static final Set<String> NULL_IS_A_VALUE = Set.of("data.validation", "data.test");

    private final String source;
    private final Problems problems = new Problems();
    /** Where each node was written: its file (through the chain of extends), or the flag that brought it. */
    private Composition composition;
    /** Optional keys set to null, by path: left out, as if never written; a required one is reported here. */
    private final Map<String, Node> nulled = new LinkedHashMap<>();

    /** For messages: the parameters of the plugins the file names, so a key in the wrong place can be found. */
    private final Schema.PluginParameters parameters;

    private Node root;
    private List<String> everywhere;

    private ExperimentReader(String source, Schema.PluginParameters parameters) {
        this.source = source;
        this.parameters = parameters;
    }

    /** Reads {@code file}; {@code source} is how messages name it (the path as the user typed it). */
    public static Experiment read(Path file, String source) {
        return read(file, source, List.of());
    }

    /**
     * Reads {@code file} with {@code overrides} applied, each {@code key.path=value} as {@code --set} takes it: the
     * value is YAML ({@code 8}, {@code sgd}, {@code {name: adam, learning_rate: 0.01}}), checked like the file's.
     */
    public static Experiment read(Path file, String source, List<String> overrides) {
        return read(file, source, overrides, Schema.PluginParameters.NONE);
    }

    /**
     * As {@link #read(Path, String, List)}; an unknown key is also looked for among the {@code parameters} of the
     * plugins the file names ({@code training.lr}: did you mean {@code training.optimizer.learning_rate}?).
     */
    public static Experiment read(
            Path file, String source, List<String> overrides, Schema.PluginParameters parameters) {
        return read(List.of(file), List.of(source), overrides, parameters, System::getenv);
    }

    /**
     * Reads {@code files} stacked as {@code extends:} would stack them (later files on top), then applies
     * {@code overrides} and resolves {@code ${...}}, reading variables from {@code environment}. The first file
     * gives the default name and the directory relative paths resolve against.
     */
    public static Experiment read(
            List<Path> files,
            List<String> sources,
            List<String> overrides,
            Schema.PluginParameters parameters,
            Function<String, String> environment) {
        return finish(
                Composition.ofFiles(files, sources),
                sources.get(0),
                RunName.fromFile(files.get(0)),
                files.get(0).toAbsolutePath().getParent(),
                overrides,
                parameters,
                environment,
                c -> {});
    }

    /** Reads experiment text; {@code defaultName} is used when it has no {@code name:}. */
    public static Experiment parse(String text, String source, String defaultName, Path directory) {
        return parse(text, source, defaultName, directory, List.of());
    }

    /** Reads experiment text with overrides ({@link #read(Path, String, List)}). */
    public static Experiment parse(
            String text, String source, String defaultName, Path directory, List<String> overrides) {
        return parse(text, source, defaultName, directory, overrides, Schema.PluginParameters.NONE);
    }

    /** Reads experiment text with overrides; {@code parameters} as in {@link #read(Path, String, List, Schema.PluginParameters)}. */
    public static Experiment parse(
            String text,
            String source,
            String defaultName,
            Path directory,
            List<String> overrides,
            Schema.PluginParameters parameters) {
        return parse(text, source, defaultName, directory, overrides, parameters, System::getenv);
    }

    /** As above, reading {@code ${env:...}} from {@code environment}. */
    public static Experiment parse(
            String text,
            String source,
            String defaultName,
            Path directory,
            List<String> overrides,
            Schema.PluginParameters parameters,
            Function<String, String> environment) {
        return finish(
                Composition.ofText(text, source, directory),
                source,
                defaultName,
                directory,
                overrides,
                parameters,
                environment,
                c -> {});
    }

    /** Applies the overrides and {@code edits} to the composed tree, resolves it and binds it. */
    static Experiment finish(
            Composition composition,
            String source,
            String defaultName,
            Path directory,
            List<String> overrides,
            Schema.PluginParameters parameters,
            Function<String, String> environment,
            java.util.function.Consumer<Composition> edits) {
        var reader = new ExperimentReader(source, parameters);
        reader.composition = composition;
        Node root = composition.root;
        edits.accept(composition);
        composition.overrides.apply(root, overrides);
        new Interpolation(composition, environment).resolve(root);
        reader.root = root;
        Experiment experiment = reader.bind(root, defaultName, directory);
        reader.problems.throwIfAny();
        return experiment;
    }

    /**
     * A plugin reference written on its own, as a command-line flag gives one ({@code '{name: csv, path: new.csv}'});
     * {@code source} names it in messages.
     */
    public static PluginRef pluginRef(String yaml, String kind, String source) {
        var reader = new ExperimentReader(source, Schema.PluginParameters.NONE);
        reader.composition = Composition.of(source);
        Node node = Composition.compose(new StringReader(yaml), source);
        PluginRef ref = reader.pluginRef(node, "", kind);
        reader.problems.throwIfAny();
        return ref;
    }

    /** The YAML loader settings for experiments and override values alike. */
    static Node composeYaml(Reader text) {
        var options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(30);
        options.setCodePointLimit(1 << 20);
        return new Yaml(options).compose(text);
    }

    private Experiment bind(Node root, String defaultName, Path directory) {
        var top = mapping(root, "", "an experiment mapping", Schema.KEYS.get(""));
        if (top == null) return null;
        String name = defaultName;
        if (top.containsKey("name")) {
            String n = string(top.get("name"), "name", "a name");
            if (n != null && !NAME.matcher(n).matches()) {
                add(top.get("name"), "name", "expected a name of " + RunName.ALLOWED + ", got '" + n + "'");
            } else if (n != null) {
                name = n;
            }
        }
        long seed = top.containsKey("seed") ? integer(top.get("seed"), "seed", 0, Long.MAX_VALUE, 0) : 0;
        DataSpec data = data(required(top, root, "", "data", "a mapping with 'train'"));
        ModelSpec model = model(required(top, root, "", "model", "a mapping with 'layers'"));
        Node costNode = required(top, root, "", "cost", "a cost name such as quadratic");
        PluginRef cost = costNode == null ? null : pluginRef(costNode, "cost", "cost");
        boolean forceCost = false;
        if (cost != null && cost.params().containsKey("force")) {
            // force belongs to the runner, not to the cost plugin: it skips the check that the cost fits the outputs.
            Scalar force = cost.params().get("force");
            try {
                forceCost = force.asBoolean("true or false");
            } catch (SpecException e) {
                problems.addAll(e);
            }
            var params = new LinkedHashMap<>(cost.params());
            params.remove("force");
            cost = new PluginRef(cost.kind(), cost.name(), params, cost.where());
        }
        // class_weights is the runner's too: it weights each example's cost by its class, checked against the data.
        if (cost != null && cost.params().containsKey("class_weight")) {
            // scikit-learn's and Keras's spelling, which no cost plugin would otherwise explain
            problems.add(
                    cost.params().get("class_weight").where(),
                    "unknown key 'class_weight'; did you mean 'class_weights'?");
        }
        Scalar classWeights = cost == null ? null : cost.params().get("class_weights");
        if (classWeights != null) {
            var params = new LinkedHashMap<>(cost.params());
            params.remove("class_weights");
            cost = new PluginRef(cost.kind(), cost.name(), params, cost.where());
        }
        TrainingSpec training =
                training(required(top, root, "", "training", "a mapping with 'optimizer' and 'max_epochs'"));
        MetricsSpec metrics = metrics(top.get("metrics"));
        List<PluginLocation> plugins = plugins(top.get("plugins"), directory);
        if (!problems.isEmpty() || data == null || model == null || cost == null || training == null) return null;
        return new Experiment(
                name,
                seed,
                data,
                model,
                cost,
                forceCost,
                training,
                metrics,
                plugins,
                directory,
                source,
                composition.files,
                classWeights);
    }

    private DataSpec data(Node node) {
        if (node == null) return null;
        var m = mapping(node, "data", "a mapping", Schema.KEYS.get("data"));
        if (m == null) return null;
        Node trainNode = required(m, node, "data", "train", "a data source such as xor");
        PluginRef train = trainNode == null ? null : pluginRef(trainNode, "data.train", "data source");
        Holdout validation = m.containsKey("validation")
                ? holdout(m.get("validation"), "data.validation", true)
                : new Holdout.SameAsTrain();
        Holdout test = m.containsKey("test") ? holdout(m.get("test"), "data.test", false) : new Holdout.None();
        List<PluginRef> preprocess = new ArrayList<>();
        if (m.containsKey("preprocess")) {
            List<PluginRef> steps = refs(m.get("preprocess"), "data.preprocess", "preprocessor");
            if (steps == null) return null;
            preprocess.addAll(steps);
        }
        return train == null || validation == null || test == null
                ? null
                : new DataSpec(train, validation, test, preprocess);
    }

    /** 'train', null, {split: f}, or a data source. */
    private Holdout holdout(Node node, String path, boolean trainAllowed) {
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) return new Holdout.None();
        if (node instanceof ScalarNode s && s.getValue().equals("train")) {
            if (trainAllowed) return new Holdout.SameAsTrain();
            add(node, path, "the test set cannot be the training set; use {split: 0.2}, a data source, or null");
            return null;
        }
        if (node instanceof MappingNode map && map.getValue().stream().anyMatch(t -> keyIs(t, "split"))) {
            var m = mapping(node, path, "a mapping", List.of("split"));
            if (m == null) return null;
            double f = number(m.get("split"), path + ".split", 0, 1, false);
            if (Double.isNaN(f)) return null;
            return new Holdout.Split(f, where(m.get("split"), path + ".split"));
        }
        PluginRef ref = pluginRef(node, path, "data source");
        return ref == null ? null : new Holdout.Source(ref);
    }

    private ModelSpec model(Node node) {
        if (node == null) return null;
        var m = mapping(node, "model", "a mapping", Schema.KEYS.get("model"));
        if (m == null) return null;
        List<LayerSpec> layers = new ArrayList<>();
        Node layersNode = required(
                m,
                node,
                "model",
                "layers",
                "a list of layers such as [{units: 2, activation: tanh}, {units: 1, activation: sigmoid}]");
        var items = layersNode == null ? null : sequence(layersNode, "model.layers", "a list of layers");
        if (items != null && items.isEmpty()) {
            add(layersNode, "model.layers", "expected at least one layer, got an empty list");
        }
        for (int i = 0; items != null && i < items.size(); i++) {
            LayerSpec layer = layer(items.get(i), "model.layers[" + i + "]", i == items.size() - 1);
            if (layer != null) layers.add(layer);
        }
        Node initNode = required(m, node, "model", "initializer", "an initializer such as {name: normal, std: 0.5}");
        PluginRef initializer = initNode == null ? null : pluginRef(initNode, "model.initializer", "initializer");
        PluginRef bias = m.containsKey("bias_initializer")
                ? pluginRef(m.get("bias_initializer"), "model.bias_initializer", "initializer")
                : PluginRef.of("initializer", "zeros", source, "model.bias_initializer");
        if (items == null || layers.size() != items.size() || layers.isEmpty() || initializer == null || bias == null)
            return null;
        return new ModelSpec(layers, initializer, bias);
    }

    private TrainingSpec training(Node node) {
        if (node == null) return null;
        var m = mapping(node, "training", "a mapping", Schema.KEYS.get("training"));
        if (m == null) return null;
        Node optimizerNode =
                required(m, node, "training", "optimizer", "an optimizer such as {name: sgd, learning_rate: 0.1}");
        PluginRef optimizer =
                optimizerNode == null ? null : pluginRef(optimizerNode, "training.optimizer", "optimizer");
        PluginRef schedule = m.containsKey("schedule")
                ? pluginRef(m.get("schedule"), "training.schedule", "schedule")
                : PluginRef.of("schedule", "constant", source, "training.schedule");
        long batch =
                m.containsKey("batch_size") ? integer(m.get("batch_size"), "training.batch_size", 1, 1 << 20, -1) : 32;
        double l2 = m.containsKey("l2") ? number(m.get("l2"), "training.l2", 0, Double.MAX_VALUE, true) : 0;
        Node epochsNode = required(m, node, "training", "max_epochs", "an integer >= 1, the hard cap on epochs");
        long maxEpochs = epochsNode == null ? -1 : integer(epochsNode, "training.max_epochs", 1, Integer.MAX_VALUE, -1);
        boolean shuffle = !m.containsKey("shuffle") || bool(m.get("shuffle"), "training.shuffle");
        long threads = m.containsKey("threads")
                ? integer(m.get("threads"), "training.threads", 1, MAX_THREADS, -1)
                : Runtime.getRuntime().availableProcessors();
        long checkpointEvery = m.containsKey("checkpoint_every")
                ? integer(m.get("checkpoint_every"), "training.checkpoint_every", 0, Integer.MAX_VALUE, -1)
                : 0;
        double clipNorm = m.containsKey("clip_norm")
                ? number(m.get("clip_norm"), "training.clip_norm", 0, Double.MAX_VALUE, false)
                : 0;
        Precision precision = m.containsKey("precision") ? precision(m.get("precision")) : Precision.FLOAT64;
        List<PluginRef> stopping = refs(m.get("stopping"), "training.stopping", "stopping rule");
        if (optimizer == null
                || schedule == null
                || batch < 1
                || Double.isNaN(l2)
                || maxEpochs < 1
                || checkpointEvery < 0
                || threads < 1
                || Double.isNaN(clipNorm)
                || precision == null
                || stopping == null) return null;
        return new TrainingSpec(
                optimizer,
                schedule,
                (int) batch,
                l2,
                (int) maxEpochs,
                shuffle,
                (int) checkpointEvery,
                (int) threads,
                clipNorm,
                precision,
                stopping);
    }

    /** {@code training.precision}: float64 or float32; null, with a problem added, for anything else. */
    private Precision precision(Node node) {
        String name = string(node, "training.precision", "float64 (exact, the default) or float32 (fast)");
        if (name == null) return null;
        var precision = Precision.find(name);
        if (precision.isEmpty())
            add(node, "training.precision", Suggestions.unknown("precision", name, Precision.names(), "known"));
        return precision.orElse(null);
    }

    private MetricsSpec metrics(Node node) {
        if (node == null)
            return new MetricsSpec(List.of(PluginRef.of("metrics exporter", "file", source, "metrics.exporters[0]")));
        var m = mapping(node, "metrics", "a mapping", Schema.KEYS.get("metrics"));
        if (m == null) return null;
        if (!m.containsKey("exporters")) return metrics(null);
        List<PluginRef> exporters = refs(m.get("exporters"), "metrics.exporters", "metrics exporter");
        return exporters == null ? null : new MetricsSpec(exporters);
    }

    private List<PluginLocation> plugins(Node node, Path directory) {
        List<PluginLocation> jars = new ArrayList<>();
        if (node == null) return jars;
        var items = sequence(node, "plugins", "a list of plugin jars or directories");
        for (int i = 0; items != null && i < items.size(); i++) {
            String p = "plugins[" + i + "]";
            String path = string(items.get(i), p, "a path to a plugin jar or directory");
            // A base's plugins are found beside the base.
            Path beside = composition.directoryOf(items.get(i));
            if (path != null) {
                jars.add(new PluginLocation(
                        (beside == null ? directory : beside).resolve(path).normalize(), where(items.get(i), p)));
            }
        }
        return jars;
    }

    private List<PluginRef> refs(Node node, String path, String kind) {
        List<PluginRef> refs = new ArrayList<>();
        if (node == null) return refs;
        var items = sequence(node, path, "a list of " + kind + "s");
        if (items == null) return null;
        for (int i = 0; i < items.size(); i++) {
            PluginRef ref = pluginRef(items.get(i), path + "[" + i + "]", kind);
            if (ref == null) return null;
            refs.add(ref);
        }
        return refs;
    }

    /**
     * One {@code model.layers[i]}: its {@code kind} ({@link LayerKinds#DEFAULT} when not written), then that kind's
     * keys, each checked by its type; null, with problems added, where any is wrong.
     */
    private LayerSpec layer(Node node, String p, boolean output) {
        LayerKind kind = layerKind(node, p);
        if (kind == null) return null;
        List<String> known = new ArrayList<>(List.of("kind"));
        kind.keys().forEach(k -> known.add(k.name()));
        var layer = mapping(node, p, "a layer mapping such as {units: 4, activation: tanh}", known);
        if (layer == null) return null;
        Map<String, Object> values = new LinkedHashMap<>();
        boolean ok = true;
        for (LayerKey key : kind.keys()) {
            String path = p + "." + key.name();
            Node value =
                    key.required() ? required(layer, node, p, key.name(), key.type().expected) : layer.get(key.name());
            if (value == null && key.required()) {
                ok = false;
                continue;
            }
            Object v = value == null ? fallback(key, node, path) : layerValue(key, value, path, output);
            ok &= v != null;
            values.put(key.name(), v);
        }
        return ok ? new LayerSpec(kind.name(), values, where(node, p)) : null;
    }

    /** The kind {@code model.layers[i].kind} names, peeked before the mapping is read, as its keys depend on it. */
    private LayerKind layerKind(Node node, String p) {
        if (!(node instanceof MappingNode map)) return LayerKinds.of(LayerKinds.DEFAULT);
        for (NodeTuple t : map.getValue()) {
            if (!keyIs(t, "kind")) continue;
            String name = string(t.getValueNode(), p + ".kind", "a layer kind such as dense");
            if (name == null) return null;
            var kind = LayerKinds.find(name);
            if (kind.isEmpty())
                add(
                        t.getValueNode(),
                        p + ".kind",
                        Suggestions.unknown("layer kind", name, LayerKinds.names(), "known"));
            return kind.orElse(null);
        }
        return LayerKinds.of(LayerKinds.DEFAULT);
    }

    private Object fallback(LayerKey key, Node node, String path) {
        return key.type() == LayerKey.Type.ACTIVATION
                ? new PluginRef("activation", (String) key.fallback(), Map.of(), where(node, path))
                : key.fallback();
    }

    /** A layer key's value, checked as its type says; null, with a problem added, when it is wrong. */
    private Object layerValue(LayerKey key, Node value, String path, boolean output) {
        switch (key.type()) {
            case UNITS -> {
                long units = integer(value, path, 1, 1 << 20, -1);
                return units < 1 ? null : (int) units;
            }
            case ACTIVATION -> {
                return pluginRef(value, path, "activation");
            }
            case HIDDEN_PROBABILITY -> {
                double v = number(value, path, 0, 1, true);
                if (Double.isNaN(v)) return null;
                if (v == 1) {
                    add(value, path, "expected a probability below 1 (1 drops every unit), got 1");
                    return null;
                }
                if (output && v > 0) {
                    add(value, path, key.name() + " on the output layer would drop outputs; put it on hidden layers");
                    return null;
                }
                return v;
            }
        }
        throw new IllegalStateException(key.type().name());
    }

    /** A bare name, or a mapping with {@code name} and scalar parameters. */
    private PluginRef pluginRef(Node node, String path, String kind) {
        if (!allowedTag(node, path)) return null;
        if (node instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL) || s.getValue().isEmpty()) {
                add(node, path, "expected " + article(kind) + " name, got nothing");
                return null;
            }
            return new PluginRef(kind, s.getValue(), Map.of(), where(node, path));
        }
        if (!(node instanceof MappingNode map)) {
            add(node, path, "expected " + article(kind) + " name or a mapping with 'name', got " + describe(node));
            return null;
        }
        var m = mapping(map, path, "a mapping", null);
        if (m == null) return null;
        Node nameNode = required(m, node, path, "name", article(kind) + " name");
        String name = nameNode == null ? null : string(nameNode, path + ".name", article(kind) + " name");
        Map<String, Scalar> params = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            if (e.getKey().equals("name") || isNull(e.getValue())) continue; // null leaves a parameter at its default
            String p = path + "." + e.getKey();
            if (e.getValue() instanceof ScalarNode s && allowedTag(s, p)) {
                params.put(e.getKey(), scalar(s, p));
            } else if (!(e.getValue() instanceof ScalarNode)) {
                Scalar flat = flat(e.getValue(), p);
                if (flat != null) params.put(e.getKey(), flat);
            }
        }
        return name == null ? null : new PluginRef(kind, name, params, where(nameNode, path));
    }

    /** A parameter that is a list or mapping of single values ({@code [a, b]}, {@code {a: x}}); nesting is a problem. */
    private Scalar flat(Node node, String path) {
        if (!allowedTag(node, path)) return null;
        List<String> keys = new ArrayList<>();
        List<Scalar> values = new ArrayList<>();
        boolean ok = true;
        if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Scalar item = single(seq.getValue().get(i), path + "[" + i + "]");
                ok &= item != null;
                values.add(item);
            }
            return ok ? Scalar.list(values, where(node, path)) : null;
        }
        var m = mapping(node, path, "a mapping", null);
        if (m == null) return null;
        for (var e : m.entrySet()) {
            Scalar value = single(e.getValue(), path + "." + e.getKey());
            ok &= value != null;
            keys.add(e.getKey());
            values.add(value);
        }
        return ok ? Scalar.map(keys, values, where(node, path)) : null;
    }

    private Scalar single(Node node, String path) {
        if (node instanceof ScalarNode s && allowedTag(s, path)) return scalar(s, path);
        if (!(node instanceof ScalarNode)) add(node, path, "expected a single value, got " + describe(node));
        return null;
    }

    // ---- typed reads: each adds a problem and returns a sentinel when the value is wrong ----

    /**
     * The mapping's entries by key; duplicate keys and keys outside {@code known} (when not null) are problems.
     * Returns null, with a problem added, when the node is not a mapping.
     */
    private Map<String, Node> mapping(Node node, String path, String expected, List<String> known) {
        if (!allowedTag(node, path)) return null;
        if (!(node instanceof MappingNode map)) {
            add(node, path, "expected " + expected + ", got " + describe(node));
            return null;
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || k.getTag().equals(Tag.NULL)) {
                add(t.getKeyNode(), path, "expected a key name, got " + describe(t.getKeyNode()));
                continue;
            }
            if (k.getTag().equals(Tag.MERGE)) {
                add(k, path, "merge keys (<<) are not supported; write the keys out");
                continue;
            }
            String key = k.getValue();
            String p = path.isEmpty() ? key : path + "." + key;
            if (keys.containsKey(key)) {
                add(
                        k,
                        p,
                        "duplicate key '" + key + "' (first at line "
                                + (keys.get(key).getStartMark().getLine() + 1) + ")");
            } else if (known != null && !known.contains(key)) {
                add(k, p, Schema.unknown("key", key, path, known, everywhere(), "known"));
            } else if (known != null && isNull(t.getValueNode()) && !NULL_IS_A_VALUE.contains(p)) {
                keys.put(key, k);
                nulled.put(p, t.getValueNode());
            } else {
                keys.put(key, k);
                entries.put(key, t.getValueNode());
            }
        }
        return entries;
    }

    private List<String> everywhere() {
        if (everywhere == null) everywhere = Schema.everywhere(root, parameters);
        return everywhere;
    }

    private Node required(Map<String, Node> m, Node parent, String path, String key, String expected) {
        Node n = m.get(key);
        String p = path.isEmpty() ? key : path + "." + key;
        // null leaves out only what may be left out: a required key keeps it, reported as nothing where it is.
        if (n == null && nulled.containsKey(p)) return nulled.get(p);
        if (n == null) {
            add(parent, p, "missing required key '" + key + "' (expected " + expected + ")");
        }
        return n;
    }

    private List<Node> sequence(Node node, String path, String expected) {
        if (!allowedTag(node, path)) return null;
        if (node instanceof SequenceNode seq) return seq.getValue();
        add(node, path, "expected " + expected + ", got " + describe(node));
        return null;
    }

    private long integer(Node node, String path, long min, long max, long invalid) {
        String expected = "an integer " + range(min, max);
        Scalar s = scalarOf(node, path, expected);
        if (s == null) return invalid;
        try {
            long v = s.asLong(expected);
            if (v >= min && v <= max) return v;
            add(node, path, "expected " + expected + ", got " + s.text());
        } catch (SpecException e) {
            problems.addAll(e);
        }
        return invalid;
    }

    /** A finite number in [min, max] (or (min, max] when not minInclusive); NaN when invalid. */
    private double number(Node node, String path, double min, double max, boolean minInclusive) {
        String expected = "a number " + (minInclusive ? ">= " : "> ") + fmt(min)
                + (max < Double.MAX_VALUE ? " and <= " + fmt(max) : "");
        if (!minInclusive && max == 1 && min == 0) expected = "a fraction between 0 and 1, such as 0.2";
        Scalar s = scalarOf(node, path, expected);
        if (s == null) return Double.NaN;
        try {
            double v = s.asDouble(expected);
            boolean low = minInclusive ? v >= min : v > min;
            if (low && v <= max && !(max == 1 && min == 0 && !minInclusive && v == 1)) return v;
            add(node, path, "expected " + expected + ", got " + s.text());
        } catch (SpecException e) {
            problems.addAll(e);
        }
        return Double.NaN;
    }

    private boolean bool(Node node, String path) {
        Scalar s = scalarOf(node, path, "true or false");
        if (s == null) return false;
        try {
            return s.asBoolean("true or false");
        } catch (SpecException e) {
            problems.addAll(e);
            return false;
        }
    }

    private String string(Node node, String path, String expected) {
        Scalar s = scalarOf(node, path, expected);
        if (s == null) return null;
        if (s.type() == Scalar.Type.NULL || s.text().isEmpty()) {
            add(node, path, "expected " + expected + ", got nothing");
            return null;
        }
        return s.text();
    }

    private Scalar scalarOf(Node node, String path, String expected) {
        if (!allowedTag(node, path)) return null;
        if (node instanceof ScalarNode s) return scalar(s, path);
        add(node, path, "expected " + expected + ", got " + describe(node));
        return null;
    }

    private Scalar scalar(ScalarNode s, String path) {
        Scalar.Type type;
        Tag tag = s.getTag();
        if (tag.equals(Tag.INT)) type = Scalar.Type.INTEGER;
        else if (tag.equals(Tag.FLOAT)) type = Scalar.Type.FLOAT;
        else if (tag.equals(Tag.BOOL)) type = Scalar.Type.BOOLEAN;
        else if (tag.equals(Tag.NULL)) type = Scalar.Type.NULL;
        else type = Scalar.Type.STRING;
        return new Scalar(s.getValue(), type, where(s, path));
    }

    /** Only the plain YAML types; a tag such as !!java.lang.ProcessBuilder is refused, never resolved. */
    private boolean allowedTag(Node node, String path) {
        Tag tag = node.getTag();
        boolean ok = node instanceof ScalarNode
                ? SCALAR_TAGS.contains(tag)
                : node instanceof MappingNode ? tag.equals(Tag.MAP) : tag.equals(Tag.SEQ);
        if (!ok) {
            add(node, path, "YAML tag '" + shortTag(tag.getValue()) + "' is not allowed; write a plain value");
        }
        return ok;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    static String shortTag(String tag) {
        return tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
    }

    private static boolean keyIs(NodeTuple t, String key) {
        return t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key);
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        var s = (ScalarNode) node;
        if (s.getTag().equals(Tag.NULL)) return "nothing";
        return s.getTag().equals(Tag.STR) ? "'" + s.getValue() + "'" : s.getValue();
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String range(long min, long max) {
        return max >= Integer.MAX_VALUE ? ">= " + min : "from " + min + " to " + max;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private void add(Node node, String path, String message) {
        problems.add(where(node, path), message);
    }

    private Where where(Node node, String path) {
        return composition.where(node, path);
    }
}
