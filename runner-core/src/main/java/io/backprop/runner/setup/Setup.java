package io.backprop.runner.setup;

import io.backprop.runner.encoding.ColumnEncoder;
import io.backprop.runner.engine.ClassWeightedCost;
import io.backprop.runner.engine.GradientCheck;
import io.backprop.runner.engine.Layer;
import io.backprop.runner.engine.NamedRule;
import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.Seeds;
import io.backprop.runner.engine.Trainer;
import io.backprop.runner.engine.TrainingSettings;
import io.backprop.runner.layers.Initialization;
import io.backprop.runner.layers.LayerKinds;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.plugin.Preprocessor;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugin.table.Table;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.spec.Experiment;
import io.backprop.runner.spec.Experiment.Holdout;
import io.backprop.runner.spec.Experiment.LayerSpec;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.Plural;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * An experiment made ready to train: every plugin reference resolved and its parameters checked, the data loaded
 * and split, the shapes checked against the data. Building one trains nothing, which makes it the whole of
 * {@code validate}. Every problem found is reported together.
 */
public final class Setup {
    private final Experiment experiment;
    private final List<Resolved<Activation>> activations;
    private final Resolved<Initializer> initializer;
    private final Resolved<Initializer> biasInitializer;
    private final Resolved<Cost> cost;
    private final Resolved<Optimizer> optimizer;
    private final Resolved<LearningRateSchedule> schedule;
    private final List<Resolved<StoppingRule>> stopping;
    private final List<Resolved<MetricsExporter>> exporters;
    private final List<Resolved<DataSource>> dataSources;
    private final List<Resolved<Preprocessor>> preprocessorPlugins;
    private final List<Preprocessor> preprocessors = new ArrayList<>();
    private Network initial;
    private final List<Path> pluginLocations;
    private Dataset train;
    private Dataset validation;
    private Dataset test;
    private final boolean fitPreprocessing;
    private ColumnEncoder encoder;
    private Table sourceTable;
    private final Map<String, Map<String, Integer>> unknownCategories = new LinkedHashMap<>();
    private ClassWeights classWeights;

    private Setup(Experiment e, Registry registry, boolean fitPreprocessing) {
        experiment = e;
        this.fitPreprocessing = fitPreprocessing;
        pluginLocations = registry.locations();
        var problems = new Problems();
        activations = new ArrayList<>();
        for (LayerSpec layer : e.model().layers()) {
            activations.add(resolve(registry, PluginKind.ACTIVATION, layer.activation(), problems));
        }
        initializer = resolve(registry, PluginKind.INITIALIZER, e.model().initializer(), problems);
        biasInitializer = resolve(registry, PluginKind.INITIALIZER, e.model().biasInitializer(), problems);
        cost = resolve(registry, PluginKind.COST, e.cost(), problems);
        optimizer = resolve(registry, PluginKind.OPTIMIZER, e.training().optimizer(), problems);
        schedule = resolve(registry, PluginKind.SCHEDULE, e.training().schedule(), problems);
        stopping = new ArrayList<>();
        e.training().stopping().forEach(r -> stopping.add(resolve(registry, PluginKind.STOPPING_RULE, r, problems)));
        exporters = new ArrayList<>();
        e.metrics()
                .exporters()
                .forEach(r -> exporters.add(resolve(registry, PluginKind.METRICS_EXPORTER, r, problems)));
        preprocessorPlugins = new ArrayList<>();
        e.data()
                .preprocess()
                .forEach(r -> preprocessorPlugins.add(resolve(registry, PluginKind.PREPROCESSOR, r, problems)));
        dataSources = new ArrayList<>();
        dataSources.add(resolve(registry, PluginKind.DATA_SOURCE, e.data().train(), problems));
        for (Holdout h : List.of(e.data().validation(), e.data().test())) {
            if (h instanceof Holdout.Source s)
                dataSources.add(resolve(registry, PluginKind.DATA_SOURCE, s.ref(), problems));
        }
        problems.throwIfAny();

        // Components are built now, so that a plugin that rejects its parameters fails validation, not training.
        activations.forEach(r -> attempt(r::create, problems));
        for (var r : List.of(initializer, biasInitializer)) attempt(r::create, problems);
        attempt(cost::create, problems);
        attempt(optimizer::create, problems);
        attempt(schedule::create, problems);
        stopping.forEach(r -> attempt(r::create, problems));
        exporters.forEach(r -> attempt(r::create, problems));
        preprocessorPlugins.forEach(r -> attempt(r::create, problems));
        problems.throwIfAny();
        String misfit = cost.create().misfit(outputActivation());
        if (misfit != null && !e.forceCost()) {
            problems.add(
                    cost.ref().where(),
                    cost.ref().name() + " does not fit " + outputActivation() + " outputs: " + misfit
                            + "; change the output activation, or write {name: "
                            + cost.ref().name() + ", force: true} to use it anyway");
        }
        problems.throwIfAny();

        loadData(problems);
        problems.throwIfAny();
        if (e.classWeights() != null) classWeights = classWeights(e.classWeights(), problems);
        checkMonitors(problems);
        checkMemory(problems);
        problems.throwIfAny();
        initial = initialNetwork(problems);
        problems.throwIfAny();
    }

    /**
     * A network too large for the heap is bad input, found before any allocation: per weight the network keeps the
     * weight, its gradient, up to two optimizer moments and a snapshot of the best epoch; per unit and example of a
     * batch, five buffers.
     */
    private void checkMemory(Problems problems) {
        var layers = experiment.model().layers();
        int batch = Math.min(experiment.training().batchSize(), Math.max(1, train.rows()));
        double bytes = 0;
        int largest = 0;
        double largestBytes = -1;
        for (int l = 0; l < layers.size(); l++) {
            double fanIn = l == 0 ? train.inputs() : layers.get(l - 1).units();
            double layer = 8.0
                    * (5 * (fanIn + 1) * layers.get(l).units()
                            + 5.0 * batch * layers.get(l).units());
            bytes += layer;
            if (layer > largestBytes) {
                largestBytes = layer;
                largest = l;
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        double data = 8.0 * (train.x().length + train.y().length);
        for (int l = 0; l < layers.size(); l++) {
            double weights =
                    (double) (l == 0 ? train.inputs() : layers.get(l - 1).units())
                            * layers.get(l).units();
            double buffer = (double) batch * layers.get(l).units();
            if (Math.max(weights, buffer) > Integer.MAX_VALUE - 8) {
                problems.add(
                        layers.get(l).where().at("model.layers[" + l + "].units"),
                        String.format(
                                java.util.Locale.ROOT,
                                "a layer of %.3g weights is more than one array holds (2^31 - 9); use fewer units",
                                weights));
                return;
            }
        }
        if (bytes + data > 0.9 * max) {
            problems.add(
                    layers.get(largest).where().at("model.layers[" + largest + "].units"),
                    String.format(
                            java.util.Locale.ROOT,
                            "the network needs about %.1f GiB of memory to train, and Java may use %.1f GiB; use fewer units, or give "
                                    + "Java more memory (java -Xmx...)",
                            bytes / (1L << 30),
                            max / (double) (1L << 30)));
        }
    }

    /** {@code class_weights} need classes and a cost that takes them; then each class's weight, by the training split. */
    private ClassWeights classWeights(io.backprop.runner.spec.Scalar spec, Problems problems) {
        String name = cost.ref().name();
        if (train.task() != Dataset.Task.CLASSIFICATION) {
            problems.add(
                    spec.where(),
                    "class weights need classes, and data '"
                            + experiment.data().train().name() + "' is regression; remove class_weights");
            return null;
        }
        if (!cost.create().takesClassWeights()) {
            problems.add(
                    spec.where(),
                    "cost '" + name + "' takes no class weights; they weight each example's cost by its class,"
                            + " which cross-entropy and binary-cross-entropy do; use one of those, or remove class_weights");
            return null;
        }
        return ClassWeights.resolve(spec, train, problems);
    }

    /**
     * Every metric a stopping rule or the learning-rate schedule monitors ({@link StoppingRule#monitors}, {@link
     * LearningRateSchedule#monitors}) must be one this run measures.
     */
    private void checkMonitors(Problems problems) {
        boolean classification = train.task() == Dataset.Task.CLASSIFICATION;
        List<Metric> measured = new ArrayList<>(List.of(Metric.TRAIN_LOSS, Metric.score(false, classification)));
        if (validation != null) measured.addAll(List.of(Metric.VALIDATION_LOSS, Metric.score(true, classification)));
        List<Map.Entry<Resolved<?>, List<Metric>>> watchers = new ArrayList<>();
        for (var rule : stopping)
            watchers.add(Map.entry(rule, rule.call(() -> rule.create().monitors())));
        watchers.add(Map.entry(schedule, schedule.call(() -> schedule.create().monitors())));
        for (var watcher : watchers) {
            Resolved<?> rule = watcher.getKey();
            for (Metric monitor : watcher.getValue()) {
                if (measured.contains(monitor) || !Metric.MONITORABLE.contains(monitor)) continue;
                var where = rule.ref().params().entrySet().stream()
                        .filter(p -> monitor.key().equals(rule.params().asMap().get(p.getKey())))
                        .map(p -> p.getValue().where())
                        .findFirst()
                        .orElse(rule.ref().where());
                problems.add(
                        where,
                        "this run does not measure " + monitor
                                + (monitor.key().startsWith("validation_") && validation == null
                                        ? " (it has no validation set; set data.validation)"
                                        : "")
                                + "; it measures " + String.join(", ", Metric.keys(measured)));
            }
        }
    }

    /** Resolves, loads and checks {@code experiment}; throws a {@link SpecException} with every problem found. */
    public static Setup of(Experiment experiment, Registry registry) {
        return new Setup(experiment, registry, true);
    }

    /**
     * As {@link #of}, but the splits stay as loaded: no preprocessing is fitted or applied. For a saved model, whose
     * fitted preprocessing is applied in its place; the split itself is drawn from the seed as in training.
     */
    public static Setup unpreprocessed(Experiment experiment, Registry registry) {
        return new Setup(experiment, registry, false);
    }

    private <T, P extends PluginProvider<T>> Resolved<T> resolve(
            Registry registry, PluginKind<P> kind, PluginRef ref, Problems problems) {
        try {
            return registry.resolve(kind, ref, experiment.directory());
        } catch (SpecException e) {
            problems.addAll(e);
            return null;
        }
    }

    private static <T> T attempt(Supplier<T> action, Problems problems) {
        try {
            return action.get();
        } catch (SpecException e) {
            problems.addAll(e);
            return null;
        }
    }

    private void loadData(Problems problems) {
        long seed = experiment.seed();
        Dataset source = load(dataSources.get(0), "data.train", List.of(), problems);
        if (source == null) return;
        source = singleOutput(source);
        sourceTable = source.table();
        Holdout v = experiment.data().validation();
        Holdout t = experiment.data().test();
        int next = 1;
        // Held-out sources take the training set's classes, whichever of them they hold.
        Dataset validationSource =
                v instanceof Holdout.Source ? load(dataSources.get(next++), "data.validation", source, problems) : null;
        Dataset testSource =
                t instanceof Holdout.Source ? load(dataSources.get(next), "data.test", source, problems) : null;

        // Test first, then validation, each a stratified fraction of the whole training source.
        double testFraction = t instanceof Holdout.Split s ? s.fraction() : 0;
        double validationFraction = v instanceof Holdout.Split s ? s.fraction() : 0;
        if (testFraction + validationFraction >= 1) {
            problems.add(
                    ((Holdout.Split) (v instanceof Holdout.Split ? v : t)).where(),
                    "the validation and test splits together take " + (testFraction + validationFraction)
                            + " of the data, leaving none to train on; keep their sum below 1");
            return;
        }
        int[][] parts =
                Splits.stratified(source, new double[] {testFraction, validationFraction}, Seeds.stream(seed, "split"));
        train = source.select(parts[2]);
        test = t instanceof Holdout.Split ? source.select(parts[0]) : testSource;
        validation = v instanceof Holdout.Split
                ? source.select(parts[1])
                : v instanceof Holdout.SameAsTrain ? train : validationSource;
        if (train.rows() == 0) {
            problems.add(experiment.data().train().where(), "no examples left to train on");
        }
        for (var split : List.of(new Object[] {v, validation, "validation"}, new Object[] {t, test, "test"})) {
            if (split[0] instanceof Holdout.Split s && ((Dataset) split[1]).rows() == 0) {
                problems.add(
                        s.where(),
                        s.fraction() + " of " + Plural.of(source.rows(), "example") + " leaves no " + split[2]
                                + " examples; take a larger fraction");
            }
        }
        checkShape(validationSource, v, problems);
        checkShape(testSource, t, problems);
        if (problems.isEmpty() && fitPreprocessing) encode(problems);
        if (problems.isEmpty() && fitPreprocessing) preprocess();
        int last = experiment.model().layers().size() - 1;
        LayerSpec output = experiment.model().layers().get(last);
        int outputs = widths((train != null ? train : source).inputs())[last]; // encoded columns, where they are
        if (outputs != source.outputs()) {
            String at = "model.layers[" + last + "]" + (output.values().containsKey("units") ? ".units" : "");
            problems.add(
                    output.where().at(at),
                    "the output layer has " + Plural.of(outputs, "unit")
                            + " but data '" + experiment.data().train().name() + "' has "
                            + Plural.of(source.outputs(), "output")
                            + "; set units: " + source.outputs());
        }
    }

    /**
     * Two classes and an output layer of one unit: the labels become one 0/1 output (class 1 is the second class), for
     * a sigmoid with binary cross-entropy. Else the data as it is.
     */
    private Dataset singleOutput(Dataset data) {
        var layers = experiment.model().layers();
        boolean binary = data.task() == Dataset.Task.CLASSIFICATION
                && data.outputs() == 2
                && data.classes().size() == 2;
        if (!binary || widths(data.inputs())[layers.size() - 1] != 1) return data;
        return KnownClasses.onto(
                data, data.classes(), 1, experiment.data().train().where());
    }

    /**
     * Raw table columns are encoded (gaps filled, categories one-hot) as learned from the training split alone, then
     * every split is encoded alike; categories unknown to training are counted per split.
     */
    private void encode(Problems problems) {
        if (train.table() == null) return;
        encoder = ColumnEncoder.fit(train);
        Dataset before = train;
        train = encoded(train, "train", experiment.data().train().where(), problems);
        validation = validation == before
                ? train
                : encoded(
                        validation, "validation", holdoutWhere(experiment.data().validation()), problems);
        test = encoded(test, "test", holdoutWhere(experiment.data().test()), problems);
    }

    private Where holdoutWhere(Holdout h) {
        return h instanceof Holdout.Source s
                ? s.ref().where()
                : h instanceof Holdout.Split s
                        ? s.where()
                        : experiment.data().train().where();
    }

    private Dataset encoded(Dataset data, String split, Where where, Problems problems) {
        if (data == null) return null;
        try {
            ColumnEncoder.Result result = encoder.encode(data);
            if (encoder.hasCategories()) unknownCategories.put(split, result.unknown());
            return data.encoded(result.x(), encoder.outputNames());
        } catch (io.backprop.runner.plugin.PluginException e) {
            problems.add(where, e.getMessage());
            return data;
        }
    }

    /** Each step is fitted on the training inputs as the steps before left them, then applied to every split. */
    private void preprocess() {
        for (Resolved<Preprocessor> plugin : preprocessorPlugins) {
            Preprocessor step = plugin.create();
            plugin.call(() -> {
                if (encoder != null) step.codeInputs(encoder.codeInputs());
                step.fit(train.x(), train.rows(), train.inputs());
                return null;
            });
            Dataset before = train;
            train = transformed(train, step, plugin);
            validation = validation == before ? train : transformed(validation, step, plugin);
            test = transformed(test, step, plugin);
            preprocessors.add(step);
        }
    }

    private static Dataset transformed(Dataset data, Preprocessor step, Resolved<Preprocessor> plugin) {
        if (data == null) return null;
        double[] x = data.x().clone();
        plugin.call(() -> {
            step.apply(x, data.rows(), data.inputs());
            return null;
        });
        return data.withInputs(x);
    }

    private void checkShape(Dataset other, Holdout holdout, Problems problems) {
        if (other == null || train == null) return;
        if (other.table() != null && train.table() != null) return; // the encoder takes table columns by name
        if (other.inputs() != train.inputs() || other.outputs() != train.outputs()) {
            Where where = ((Holdout.Source) holdout).ref().where();
            problems.add(
                    where,
                    "has " + Plural.of(other.inputs(), "input") + " and " + Plural.of(other.outputs(), "output")
                            + "; the training data has " + train.inputs() + " and " + train.outputs());
        }
    }

    /** A held-out source, its labels encoded over the training set's classes. */
    private Dataset load(Resolved<DataSource> resolved, String path, Dataset train, Problems problems) {
        Dataset data = load(resolved, path, train.classes(), problems);
        if (data == null) return null;
        try {
            return KnownClasses.onto(
                    data, train.classes(), train.outputs(), resolved.ref().where());
        } catch (SpecException e) {
            problems.addAll(e);
            return null;
        }
    }

    private Dataset load(Resolved<DataSource> resolved, String path, List<String> classes, Problems problems) {
        DataSource source = attempt(resolved::create, problems);
        if (source == null) return null;
        var context = new DataContext(experiment.directory(), Seeds.derive(experiment.seed(), path), classes);
        try {
            return resolved.call(() -> source.load(context));
        } catch (io.backprop.runner.plugin.PluginException e) {
            problems.add(resolved.ref().where(), e.getMessage());
        } catch (RuntimeException e) {
            problems.add(
                    resolved.ref().where(),
                    "data source '" + resolved.ref().name() + "' (" + resolved.origin() + ") failed: " + e);
        }
        return null;
    }

    /** The network, initialised from the seed: weights then biases, layer by layer, from one stream. */
    public Network network() {
        return initial;
    }

    private Network initialNetwork(Problems problems) {
        var specs = experiment.model().layers();
        int batch = Math.min(experiment.training().batchSize(), Math.max(1, train.rows()));
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < specs.size(); l++) {
            int fanIn = l == 0 ? train.inputs() : layers.get(l - 1).units();
            layers.add(LayerKinds.of(specs.get(l).kind())
                    .build(specs.get(l), fanIn, activations.get(l).create(), batch));
        }
        var network = new Network(train.inputs(), layers, batch);
        network.usePrecision(experiment.training().precision());
        Initializer weights = initializer.create();
        Initializer biases = biasInitializer.create();
        SplittableRandom random = Seeds.initialization(experiment.seed());
        var initialization = new Initialization() {
            @Override
            public void weights(double[] values, int layer, int fanIn, int units) {
                initializer.call(() -> {
                    weights.initialize(values, values.length, layer, false, fanIn, units, random);
                    return null;
                });
            }

            @Override
            public void biases(double[] values, int layer, int fanIn, int units) {
                biasInitializer.call(() -> {
                    biases.initialize(values, values.length, layer, true, fanIn, units, random);
                    return null;
                });
            }
        };
        for (int l = 0; l < specs.size(); l++) {
            try {
                LayerKinds.of(specs.get(l).kind()).initialize(network.layer(l), l, initialization);
            } catch (io.backprop.runner.plugin.PluginException e) {
                problems.add(specs.get(l).where().at("model.layers[" + l + "]"), e.getMessage());
            }
        }
        return network;
    }

    /** Each layer's outputs per row on top of {@code inputs}, as the layers' kinds give them. */
    private int[] widths(int inputs) {
        var specs = experiment.model().layers();
        int[] widths = new int[specs.size()];
        for (int l = 0; l < widths.length; l++) {
            widths[l] = LayerKinds.of(specs.get(l).kind()).units(specs.get(l), l == 0 ? inputs : widths[l - 1]);
        }
        return widths;
    }

    /** The cost, made for {@code network}: where it fuses with the output activation, the network uses the fused delta. */
    public Cost costFor(Network network) {
        Cost costFunction = trainingCost(network);
        if (costFunction.fusesWith(outputActivation())) network.fuseOutputWith(costFunction);
        return costFunction;
    }

    /** The cost as training takes it: with the class weights, where there are any. */
    private Cost trainingCost(Network network) {
        Cost plain = cost.create();
        return classWeights == null ? plain : new ClassWeightedCost(plain, classWeights.weights(), network.outputs());
    }

    /** A replica of {@code network} with activations and a cost of its own, for another thread to perturb. */
    public GradientCheck.Replica replica(Network network) {
        return new GradientCheck.Replica(
                network.replica(activations.stream().map(Resolved::create).toArray(Activation[]::new)),
                trainingCost(network));
    }

    /** The weight of each class in the training cost; null when the experiment gives none. */
    public ClassWeights classWeights() {
        return classWeights;
    }

    /** The output layer's activation, by plugin name. */
    private String outputActivation() {
        return activations.get(activations.size() - 1).provider().name();
    }

    /** A trainer for {@code network}, with the cost {@link #costFor} gives. */
    public Trainer trainer(Network network) {
        var t = experiment.training();
        Cost costFunction = costFor(network);
        return new Trainer(
                        network,
                        costFunction,
                        optimizer.create(),
                        schedule.create(),
                        stopping.stream()
                                .map(r -> new NamedRule(r.ref().name(), r.create()))
                                .toList(),
                        new TrainingSettings(
                                t.l2(), t.maxEpochs(), t.shuffle(), experiment.seed(), t.threads(), t.clipNorm()))
                .contextLoader(optimizer.loader());
    }

    public Experiment experiment() {
        return experiment;
    }

    public Dataset train() {
        return train;
    }

    /** The validation set; the very training set object when {@code validation: train}; null when none. */
    public Dataset validation() {
        return validation;
    }

    /** Null when the experiment has no test set. */
    public Dataset test() {
        return test;
    }

    public List<Resolved<Activation>> activations() {
        return activations;
    }

    public Resolved<Initializer> initializer() {
        return initializer;
    }

    public Resolved<Initializer> biasInitializer() {
        return biasInitializer;
    }

    public Resolved<Cost> cost() {
        return cost;
    }

    public Resolved<Optimizer> optimizer() {
        return optimizer;
    }

    public Resolved<LearningRateSchedule> schedule() {
        return schedule;
    }

    public List<Resolved<StoppingRule>> stopping() {
        return stopping;
    }

    public List<Resolved<MetricsExporter>> exporters() {
        return exporters;
    }

    /** The encoder fitted on the training split's table columns; null when the data had none, or nothing was fitted. */
    public ColumnEncoder encoder() {
        return encoder;
    }

    /** The training source's raw columns, as loaded, before the split; null when it has none. */
    public Table sourceTable() {
        return sourceTable;
    }

    /** Per split (train, validation, test), how many cells of each column held a category unknown to training. */
    public Map<String, Map<String, Integer>> unknownCategories() {
        return unknownCategories;
    }

    /** The preprocessing steps as resolved, in order. */
    public List<Resolved<Preprocessor>> preprocessorPlugins() {
        return preprocessorPlugins;
    }

    /** The fitted preprocessing steps, in order. */
    public List<Preprocessor> preprocessors() {
        return preprocessors;
    }

    /** Every plugin jar and directory loaded for this experiment, absolute. */
    public List<Path> pluginLocations() {
        return pluginLocations;
    }

    /** The data sources: train first, then validation and test where those are sources of their own. */
    public List<Resolved<DataSource>> dataSources() {
        return dataSources;
    }
}
