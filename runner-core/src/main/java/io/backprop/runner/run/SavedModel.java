package io.backprop.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.encoding.ColumnEncoder;
import io.backprop.runner.engine.Layer;
import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.Precision;
import io.backprop.runner.engine.Slot;
import io.backprop.runner.layers.LayerKind;
import io.backprop.runner.layers.LayerKinds;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.plugin.Preprocessor;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.setup.KnownClasses;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.Scalar;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model.json read back: the network with its weights, and its cost. Every plugin it names must be loaded; one
 * that is missing is a problem that names the plugin and the jar it came from, so the user knows what to add.
 */
public final class SavedModel {
    private final int inputs;
    private final List<Resolved<Activation>> activations;
    private final Resolved<Cost> cost;
    /** Per layer, its kind and its parameter slots in the layer's layout. */
    private final List<LayerKind> kinds;

    private final List<double[][]> slots;
    private final int[] units;
    private final List<Preprocessor> preprocessors;
    private Dataset.Task task;
    private List<String> classes;
    private List<String> columns;
    private String label;
    private ColumnEncoder encoder;
    private Map<String, Double> classWeights;
    private Precision precision = Precision.FLOAT64;

    private SavedModel(
            int inputs,
            int[] units,
            List<Resolved<Activation>> activations,
            Resolved<Cost> cost,
            List<LayerKind> kinds,
            List<double[][]> slots,
            List<Preprocessor> preprocessors) {
        this.preprocessors = preprocessors;
        this.inputs = inputs;
        this.units = units;
        this.activations = activations;
        this.cost = cost;
        this.kinds = kinds;
        this.slots = slots;
    }

    /** Reads {@code file} ({@code source} names it in messages) against the plugins of {@code registry}. */
    public static SavedModel read(Path file, String source, Registry registry) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SpecException(Where.of(source).problem("no such file"));
        } catch (IOException e) {
            throw new SpecException(Where.of(source).problem("not a readable model.json: " + e.getMessage()));
        }
        Where where = Where.of(source);
        if (root == null
                || !ModelFile.FORMAT.equals(root.path("format").asText())
                || root.path("version").asInt() != ModelFile.VERSION) {
            throw new SpecException(
                    where.problem("not a " + ModelFile.FORMAT + " file of version " + ModelFile.VERSION));
        }
        var problems = new Problems();
        Resolved<Cost> cost = plugin(PluginKind.COST, root.path("cost"), where.at("cost"), registry, problems);
        int inputs = root.path("inputs").asInt();
        List<Preprocessor> preprocessors = new ArrayList<>();
        JsonNode steps = root.path("preprocess");
        for (int i = 0; i < steps.size(); i++) {
            Resolved<Preprocessor> step = plugin(
                    PluginKind.PREPROCESSOR, steps.get(i), where.at("preprocess[" + i + "]"), registry, problems);
            if (step == null) continue;
            Preprocessor p = step.create();
            Map<String, double[]> state = new LinkedHashMap<>();
            steps.get(i).path("state").fields().forEachRemaining(e -> {
                double[] values = new double[e.getValue().size()];
                for (int k = 0; k < values.length; k++)
                    values[k] = e.getValue().get(k).asDouble();
                state.put(e.getKey(), values);
            });
            p.restore(state);
            preprocessors.add(p);
        }
        JsonNode layers = root.path("layers");
        int[] units = new int[layers.size()];
        List<Resolved<Activation>> activations = new ArrayList<>();
        List<LayerKind> kinds = new ArrayList<>();
        List<double[][]> slots = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            JsonNode layer = layers.get(l);
            String path = "layers[" + l + "]";
            units[l] = layer.path("units").asInt();
            int fanIn = l == 0 ? inputs : units[l - 1];
            activations.add(plugin(
                    PluginKind.ACTIVATION,
                    layer.path("activation"),
                    where.at(path + ".activation"),
                    registry,
                    problems));
            String kindName = layer.path("kind").asText(LayerKinds.DEFAULT);
            var kind = LayerKinds.find(kindName);
            if (kind.isEmpty()) {
                problems.add(
                        where.at(path + ".kind"),
                        "is layer kind '" + kindName + "', which this runner does not have ("
                                + String.join(", ", LayerKinds.names()) + "); use the runner that saved it");
                continue;
            }
            kinds.add(kind.get());
            slots.add(kind.get().read(layer, fanIn, units[l], where.at(path), problems));
        }
        problems.throwIfAny();
        var model = new SavedModel(inputs, units, activations, cost, kinds, slots, preprocessors);
        model.task =
                root.path("task").asText().equals("regression") ? Dataset.Task.REGRESSION : Dataset.Task.CLASSIFICATION;
        List<String> classes = new ArrayList<>();
        root.path("classes").forEach(c -> classes.add(c.asText()));
        model.classes = List.copyOf(classes);
        List<String> columns = new ArrayList<>();
        root.path("columns").forEach(c -> columns.add(c.asText()));
        if (root.has("encoder")) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> state = new ObjectMapper().convertValue(root.get("encoder"), Map.class);
                model.encoder = ColumnEncoder.restore(state);
            } catch (IllegalArgumentException e) {
                throw new SpecException(where.at("encoder").problem("is not readable: " + e.getMessage()));
            }
            if (model.encoder.width() != inputs || !model.encoder.inputColumns().equals(columns)) {
                throw new SpecException(where.at("encoder")
                        .problem("encodes " + model.encoder.inputColumns().size() + " columns into "
                                + model.encoder.width() + " inputs; the model takes " + inputs
                                + " inputs from the columns " + String.join(", ", columns)));
            }
        } else if (!columns.isEmpty() && columns.size() != inputs) {
            throw new SpecException(
                    where.at("columns").problem("names " + columns.size() + " columns for " + inputs + " inputs"));
        }
        model.columns = List.copyOf(columns);
        model.label = root.path("label").asText("");
        Map<String, Double> classWeights = new LinkedHashMap<>();
        root.path("cost")
                .path("class_weights")
                .fields()
                .forEachRemaining(e -> classWeights.put(e.getKey(), e.getValue().asDouble()));
        model.classWeights = java.util.Collections.unmodifiableMap(classWeights);
        if (root.has("precision")) { // model.json files from before precision was written are float64
            String name = root.path("precision").asText();
            model.precision = Precision.find(name)
                    .orElseThrow(() -> new SpecException(where.at("precision")
                            .problem("is '" + name + "', which this runner does not know ("
                                    + String.join(", ", Precision.names()) + "); use the runner that saved it")));
        }
        return model;
    }

    private static <T, P extends PluginProvider<T>> Resolved<T> plugin(
            PluginKind<P> kind, JsonNode node, Where where, Registry registry, Problems problems) {
        String name = node.path("name").asText();
        Map<String, Scalar> params = new LinkedHashMap<>();
        node.path("params").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            Scalar.Type type = v.isIntegralNumber()
                    ? Scalar.Type.INTEGER
                    : v.isNumber()
                            ? Scalar.Type.FLOAT
                            : v.isBoolean() ? Scalar.Type.BOOLEAN : v.isNull() ? Scalar.Type.NULL : Scalar.Type.STRING;
            params.put(e.getKey(), new Scalar(v.asText(), type, where.at(where.path() + "." + e.getKey())));
        });
        try {
            return registry.resolve(kind, new PluginRef(kind.noun(), name, params, where));
        } catch (SpecException e) {
            if (!registry.names(kind).contains(name) && !name.contains("/")) {
                String origin = node.path("origin").asText("built-in");
                String version = node.path("version").isTextual()
                        ? " (version " + node.path("version").asText() + ")"
                        : "";
                problems.add(
                        where,
                        origin.equals("built-in")
                                ? "needs the built-in " + kind + " '" + name
                                        + "', which this runner does not have; use the runner that saved it"
                                : "needs " + kind + " '" + name + "' from " + origin + version
                                        + ", which is not loaded; add that jar with --plugins DIR or RUNNER_PLUGIN_PATH");
            } else {
                problems.addAll(e);
            }
            return null;
        }
    }

    /** A new network with the saved weights, its buffers sized for batches of up to {@code maxBatch}. */
    public Network network(int maxBatch) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < units.length; l++) {
            Layer layer = kinds.get(l)
                    .build(
                            l == 0 ? inputs : units[l - 1],
                            units[l],
                            activations.get(l).create(),
                            maxBatch);
            List<Slot> saved = layer.slots();
            for (int s = 0; s < saved.size(); s++)
                System.arraycopy(
                        slots.get(l)[s],
                        0,
                        saved.get(s).values(),
                        0,
                        saved.get(s).values().length);
            layers.add(layer);
        }
        var network = new Network(inputs, layers, maxBatch);
        network.usePrecision(precision);
        return network;
    }

    /** What the model's products computed in when it was trained, and compute in here. */
    public Precision precision() {
        return precision;
    }

    /** Applies the saved preprocessing, in order, to raw inputs {@code x} ({@code rows x inputs}) in place. */
    public void preprocess(double[] x, int rows) {
        for (Preprocessor p : preprocessors) p.apply(x, rows, inputs);
    }

    /**
     * {@code data}, as a data source loaded it, made ready for this model: its input columns taken by name where both
     * name them (in any order), its labels encoded over the model's classes, and the saved preprocessing applied.
     * Whatever does not fit is a problem at {@code where}.
     */
    public Dataset prepare(Dataset data, Where where) {
        if (data.task() != task) {
            throw new SpecException(where.problem("is " + lower(data.task()) + " data; the model does " + lower(task)));
        }
        if (encoder != null) return encoded(data, where);
        int[] from = data.inputNames().isEmpty() ? null : inputPositions(data.inputNames(), where, 0);
        if (data.inputs() != inputs || task == Dataset.Task.REGRESSION && data.outputs() != outputs()) {
            throw new SpecException(where.problem("has " + data.inputs() + " inputs and " + data.outputs()
                    + " outputs; the model takes " + inputs + " and gives " + outputs()));
        }
        Dataset labelled = KnownClasses.onto(data, classes, outputs(), where);
        double[] x = labelled.x().clone();
        if (from != null) {
            for (int r = 0; r < data.rows(); r++) {
                for (int i = 0; i < inputs; i++) x[r * inputs + i] = data.x()[r * inputs + from[i]];
            }
        }
        preprocess(x, data.rows());
        return labelled.withInputs(x).withNames(columns.isEmpty() ? data.inputNames() : columns, data.labelName());
    }

    /** Table columns encoded by the saved encoder, then preprocessed; labels over the model's classes. */
    private Dataset encoded(Dataset data, Where where) {
        if (task == Dataset.Task.REGRESSION && data.outputs() != outputs()) {
            throw new SpecException(where.problem("has " + data.outputs() + " outputs; the model gives " + outputs()));
        }
        Dataset labelled = KnownClasses.onto(data, classes, outputs(), where);
        double[] x;
        try {
            x = encoder.encode(data).x();
        } catch (PluginException e) {
            throw new SpecException(where.problem(e.getMessage()));
        }
        preprocess(x, data.rows());
        return labelled.encoded(x, encoder.outputNames());
    }

    /**
     * Where each input is among {@code names}, a file's columns: {@code result[i]} is the position of input {@code i}
     * (of the raw column {@code i} the encoder takes, for a model with one).
     * The label column may be there too and is left out, as are, for a model with an encoder, the columns training
     * left out ({@code ignore}). A missing input, another column the model does not take or a name twice is a problem at {@code where} (at column {@code n + 1} of its line, {@code line} &gt; 0) naming it.
     * A model.json that names no columns takes inputs by position.
     */
    public int[] inputPositions(List<String> names, Where where, int line) {
        int[] from = new int[columns.isEmpty() ? inputs : columns.size()];
        if (columns.isEmpty()) {
            if (names.size() != inputs) {
                throw new SpecException(at(where, line, 0)
                        .problem("has " + names.size() + " columns; the model takes " + inputs
                                + " inputs (its model.json does not name them)"));
            }
            for (int i = 0; i < inputs; i++) from[i] = i;
            return from;
        }
        String expected = "; expected columns " + String.join(", ", columns)
                + (label.isEmpty() ? "" : " (a label column '" + label + "' is ignored)");
        java.util.Arrays.fill(from, -1);
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c);
            if (!label.isEmpty() && name.equals(label)) continue;
            int i = columns.indexOf(name);
            // A raw row of the training file may hold the columns training left out (ignore, features).
            if (i < 0 && encoder != null && encoder.leftOut().contains(name)) continue;
            if (i < 0)
                throw new SpecException(at(where, line, c + 1).problem("unknown column '" + name + "'" + expected));
            if (from[i] >= 0)
                throw new SpecException(at(where, line, c + 1).problem("column '" + name + "' appears twice"));
            from[i] = c;
        }
        for (int i = 0; i < from.length; i++) {
            if (from[i] < 0)
                throw new SpecException(
                        at(where, line, 0).problem("missing column '" + columns.get(i) + "'" + expected));
        }
        return from;
    }

    private static Where at(Where where, int line, int column) {
        return line > 0 ? new Where(where.source(), line, column, where.path()) : where;
    }

    private static String lower(Dataset.Task task) {
        return task.name().toLowerCase(java.util.Locale.ROOT);
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return units[units.length - 1];
    }

    public Dataset.Task task() {
        return task;
    }

    /** Class names in output order (two for a single 0/1 output); empty for regression. */
    public List<String> classes() {
        return classes;
    }

    /** The input columns' names in input order; empty when the model.json does not name them. */
    public List<String> columns() {
        return columns;
    }

    /** The encoder of the model's raw table columns; null when it takes numbers as they are. */
    public ColumnEncoder encoder() {
        return encoder;
    }

    /** The label column's name; empty when the model.json does not name it. */
    public String label() {
        return label;
    }

    /** Each layer's kind, in order. */
    public List<LayerKind> kinds() {
        return kinds;
    }

    /** Each layer's activation, in order. */
    public List<Resolved<Activation>> activations() {
        return activations;
    }

    public Resolved<Cost> cost() {
        return cost;
    }

    /** The class weights training's cost had, by class name; empty when it had none. */
    public Map<String, Double> classWeights() {
        return classWeights;
    }
}
