package io.backprop.runner.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.backprop.runner.encoding.ColumnEncoder;
import io.backprop.runner.engine.Network;
import io.backprop.runner.layers.LayerGraph;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.OnnxGraph;
import io.backprop.runner.plugin.table.Table;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.run.Json;
import io.backprop.runner.run.SavedModel;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A saved model as one self-contained ONNX model: the input {@code input} ({@code [batch, inputs]}, the model's
 * columns in order; for a model with a {@link ColumnEncoder}, its numeric columns, and a string input per categorical
 * column, see {@link #encoded}), the stored preprocessing as Sub and Div, each layer as Gemm and its activation's own nodes,
 * and the outputs {@code probabilities} ({@code [batch, classes]}) and {@code class} (the class names, strings) for
 * classification or {@code value} ({@code [batch, outputs]}) for regression. Class names, columns and the resolved
 * config go into the model's metadata. What it cannot write it refuses, naming the part, before anything is written.
 */
public final class OnnxExporter {
    /** ONNX's IR version 8 goes with opset 17. */
    static final long IR_VERSION = 8;
    /** The keys of model.json this exporter knows how to write; anything else it does not silently drop. */
    private static final Set<String> MODEL_KEYS = Set.of(
            "format",
            "version",
            "experiment",
            "task",
            "inputs",
            "precision", // what training computed in; the graph's is --precision's
            "columns",
            "label",
            "classes",
            "cost",
            "preprocess",
            "layers",
            "encoder");
    /** The domain and opset of LabelEncoder with string keys and int64 values. */
    static final String ML_DOMAIN = "ai.onnx.ml";

    static final long ML_OPSET = 2;
    /** Every layer's keys; its kind's parameter keys are known from the kind. */
    private static final Set<String> LAYER_KEYS = Set.of("kind", "units", "activation");

    private static final Set<String> STEP_KEYS = Set.of("name", "params", "origin", "version", "state");
    /** The built-in preprocessors: (x - shift) / scale, a scale of 0 only shifting; the names of shift and scale. */
    private static final Map<String, List<String>> AFFINE_STEPS =
            Map.of("standardize", List.of("mean", "std"), "min-max", List.of("min", "range"));

    /** The graph's numeric input and its outputs, names no categorical column's input may take. */
    private static final List<String> NAMES = List.of("input", "probabilities", "class", "value");

    /** The element type of every tensor the model computes with. */
    public enum Precision {
        FLOAT32(TensorProto.DataType.FLOAT),
        FLOAT64(TensorProto.DataType.DOUBLE);

        final TensorProto.DataType type;

        Precision(TensorProto.DataType type) {
            this.type = type;
        }
    }

    private final SavedModel model;
    private final JsonNode modelJson;
    private final Where where;
    private final String experiment;
    private final String config;
    private final Precision precision;

    /**
     * {@code model} as read from {@code modelJson} (the file's tree, named {@code source} in messages), the run's
     * {@code config} (config.yaml's text) and its {@code experiment}'s name.
     */
    public OnnxExporter(
            SavedModel model,
            JsonNode modelJson,
            String source,
            String experiment,
            String config,
            Precision precision) {
        this.model = model;
        this.modelJson = modelJson;
        this.where = Where.of(source);
        this.experiment = experiment;
        this.config = config;
        this.precision = precision;
    }

    /** The ONNX model, serialized; a {@link SpecException} naming every part it cannot write. */
    public byte[] export() {
        checkKnown();
        var graph = new Graph(precision);
        ColumnEncoder encoder = model.encoder();
        String x = encoder == null
                ? graph.input("input", model.inputs(), "the input columns in order: " + columnsText())
                : encoded(graph, encoder);
        JsonNode steps = modelJson.path("preprocess");
        for (int i = 0; i < steps.size(); i++) x = preprocess(graph, steps.get(i), i, x);
        Network network = model.network(1);
        List<Resolved<Activation>> activations = model.activations();
        var problems = new Problems();
        for (int l = 0; l < network.layers(); l++) {
            graph.scope = "layer" + l + "/";
            String z = model.kinds().get(l).toOnnx(network.layer(l), graph, x);
            Resolved<Activation> activation = activations.get(l);
            Optional<String> a = activation.create().toOnnx(graph, z);
            if (a.isEmpty()) {
                String origin = activation.origin().equals("built-in") ? "built in" : "from " + activation.origin();
                problems.add(
                        where.at("layers[" + l + "].activation"),
                        "activation '" + activation.ref().name() + "' (" + origin
                                + ") does not describe itself as ONNX nodes (Activation.toOnnx), so it cannot be exported; ask its plugin for that method");
                a = Optional.of(z);
            }
            x = a.get();
        }
        problems.throwIfAny();
        graph.scope = "";
        outputs(graph, x);
        var file = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxGraph.OPSET));
        if (encoder != null && encoder.hasCategories()) {
            file.addOpsetImport(
                    OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ML_OPSET));
        }
        return file.setProducerName("backprop-runner")
                .setProducerVersion(version())
                .setModelVersion(1)
                .setDocString("experiment '" + experiment + "' trained by backprop-runner, "
                        + precision.name().toLowerCase(java.util.Locale.ROOT))
                .setGraph(graph.graph.setName(experiment))
                .addAllMetadataProps(metadata())
                .build()
                .toByteArray();
    }

    private void checkKnown() {
        var problems = new Problems();
        unknownKeys(modelJson, MODEL_KEYS, "", problems);
        JsonNode layers = modelJson.path("layers");
        Network network = model.network(1);
        for (int l = 0; l < layers.size(); l++) {
            // What the layer's kind writes to model.json is what its toOnnx exports.
            Set<String> known = new java.util.HashSet<>(LAYER_KEYS);
            known.addAll(model.kinds().get(l).write(network.layer(l)).keySet());
            unknownKeys(layers.get(l), known, "layers[" + l + "].", problems);
        }
        JsonNode steps = modelJson.path("preprocess");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String path = "preprocess[" + i + "]";
            unknownKeys(step, STEP_KEYS, path + ".", problems);
            String name = step.path("name").asText();
            if (!AFFINE_STEPS.containsKey(name)
                    || !step.path("origin").asText("built-in").equals("built-in")) {
                problems.add(
                        where.at(path),
                        "the ONNX exporter cannot write preprocessor '" + name + "'"
                                + (step.path("origin").asText("built-in").equals("built-in")
                                        ? ""
                                        : " from " + step.path("origin").asText())
                                + "; it writes the built-in standardize and min-max");
            }
        }
        modelJson.path("columns").forEach(c -> {
            if (!c.isTextual())
                problems.add(
                        where.at("columns"),
                        "holds " + c + ", not a column name; the ONNX exporter takes numeric columns by name only");
        });
        if (model.encoder() != null) {
            for (ColumnEncoder.Plan c : model.encoder().plans()) {
                String column = c.name();
                if (c.type() == Table.Type.CATEGORICAL && NAMES.contains(column)) {
                    problems.add(
                            where.at("encoder.columns"),
                            "categorical column '" + column + "' would be an input of the ONNX model named as"
                                    + " another of its inputs or outputs (" + String.join(", ", NAMES)
                                    + "); rename the column and train again");
                }
            }
        }
        problems.throwIfAny();
    }

    private void unknownKeys(JsonNode node, Set<String> known, String prefix, Problems problems) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                problems.add(
                        where.at(prefix + key),
                        "the ONNX exporter cannot write this part of the model yet; it writes numeric"
                                + " columns, standardize and min-max, dense layers and their activations");
            }
        });
    }

    /**
     * The raw columns: the numeric ones together as {@code input} ({@code [batch, numeric columns]}, the model's
     * element type, NaN for a gap), filled by Where(IsNaN) and taken apart by Gather where the encoded order
     * interleaves them with others; each categorical one as its own string input ({@code [batch, 1]}, named as the
     * column), LabelEncoder giving each text its one-hot position (-1 for none) and Equal against 0..codes-1 the 0/1
     * inputs. A missing indicator is a Cast of IsNaN or of a LabelEncoder of the missing markers. Concat puts the
     * parts in the encoder's order.
     */
    private String encoded(Graph graph, ColumnEncoder encoder) {
        int to = precision.type.getNumber();
        List<ColumnEncoder.Plan> numeric = encoder.plans().stream()
                .filter(c -> c.type() == Table.Type.NUMERIC)
                .toList();
        String filled = null;
        String gaps = null;
        if (!numeric.isEmpty()) {
            graph.scope = "encoder/numeric/";
            String x = graph.input(
                    "input",
                    numeric.size(),
                    "the numeric columns in order: "
                            + String.join(
                                    ", ",
                                    numeric.stream()
                                            .map(ColumnEncoder.Plan::name)
                                            .toList()) + "; NaN where one is missing");
            gaps = graph.node("IsNaN", x);
            // A column that nothing fills (drop_row) keeps its NaN.
            double[] fills =
                    numeric.stream().mapToDouble(ColumnEncoder.Plan::fill).toArray();
            filled = graph.node("Where", gaps, graph.initializer("fill", fills, fills.length), x);
        }
        List<String> parts = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        int n = 0;
        for (ColumnEncoder.Plan c : encoder.plans()) {
            if (c.type() == Table.Type.NUMERIC) {
                run.add((long) n);
                if (c.indicator()) {
                    flush(graph, filled, run, numeric.size(), parts);
                    graph.scope = "encoder/" + c.name() + "/";
                    String gap = graph.node(
                            "Gather", List.of(gaps, graph.int64s("column", new long[] {n})), Map.of("axis", 1));
                    parts.add(graph.node("Cast", List.of(gap), Map.of("to", to)));
                }
                n++;
                continue;
            }
            flush(graph, filled, run, numeric.size(), parts);
            graph.scope = "encoder/" + c.name() + "/";
            String x = graph.input(
                    c.name(),
                    TensorProto.DataType.STRING,
                    1,
                    "column " + c.name() + ", its category as text; " + "a missing value as one of "
                            + String.join(", ", quoted(encoder.missing())));
            if (c.codes() > 0) {
                List<String> keys = new ArrayList<>(c.positions().keySet());
                long[] values = c.positions().values().stream()
                        .mapToLong(Integer::longValue)
                        .toArray();
                String position = graph.mlNode(
                        "LabelEncoder", x, Map.of("keys_strings", keys, "values_int64s", values, "default_int64", -1L));
                long[] range = new long[c.codes()];
                for (int k = 0; k < range.length; k++) range[k] = k;
                String hot = graph.node("Equal", position, graph.int64s("positions", range));
                parts.add(graph.node("Cast", List.of(hot), Map.of("to", to)));
            }
            if (c.indicator()) {
                long[] ones = new long[encoder.missing().size()];
                java.util.Arrays.fill(ones, 1);
                String gap = graph.mlNode(
                        "LabelEncoder",
                        x,
                        Map.of("keys_strings", encoder.missing(), "values_int64s", ones, "default_int64", 0L));
                parts.add(graph.node("Cast", List.of(gap), Map.of("to", to)));
            }
        }
        flush(graph, filled, run, numeric.size(), parts);
        graph.scope = "encoder/";
        return parts.size() == 1 ? parts.get(0) : graph.node("Concat", parts, Map.of("axis", 1));
    }

    /** The numeric columns {@code run} (consecutive in the encoded order) as one part; all of them need no Gather. */
    private static void flush(Graph graph, String filled, List<Long> run, int numeric, List<String> parts) {
        if (run.isEmpty()) return;
        if (run.size() == numeric) {
            parts.add(filled);
        } else {
            graph.scope = "encoder/numeric/";
            long[] columns = run.stream().mapToLong(Long::longValue).toArray();
            parts.add(graph.node("Gather", List.of(filled, graph.int64s("columns", columns)), Map.of("axis", 1)));
        }
        run.clear();
    }

    private static List<String> quoted(List<String> texts) {
        return texts.stream().map(t -> "'" + t + "'").toList();
    }

    /** {@code (x - shift) / scale} per column; a scale of 0 (a column constant in training) divides by 1, as the runner does. */
    private String preprocess(Graph graph, JsonNode step, int i, String x) {
        List<String> names = AFFINE_STEPS.get(step.path("name").asText());
        double[] shift = values(step.path("state").path(names.get(0)));
        double[] scale = values(step.path("state").path(names.get(1)));
        if (shift.length != model.inputs() || scale.length != model.inputs()) {
            throw new SpecException(where.at("preprocess[" + i + "].state")
                    .problem("holds " + shift.length + " and " + scale.length + " values for " + model.inputs()
                            + " inputs"));
        }
        double[] divisor = scale.clone();
        for (int c = 0; c < divisor.length; c++) if (divisor[c] == 0) divisor[c] = 1;
        graph.scope = "preprocess" + i + "/";
        String shifted = graph.node("Sub", x, graph.initializer(names.get(0), shift, shift.length));
        return graph.node("Div", shifted, graph.initializer(names.get(1), divisor, divisor.length));
    }

    private void outputs(Graph graph, String a) {
        int k = model.outputs();
        if (model.task() == Dataset.Task.REGRESSION) {
            graph.node("Identity", List.of(a), Map.of(), "value");
            graph.output("value", precision.type, k, "the predicted values, one column per output");
            return;
        }
        String probabilities = k == 1
                ? graph.node(
                        "Concat",
                        List.of(graph.node("Sub", graph.constant(1), a), a),
                        Map.of("axis", 1),
                        "probabilities")
                : graph.node("Identity", List.of(a), Map.of(), "probabilities");
        graph.output(
                "probabilities",
                precision.type,
                model.classes().size(),
                "each class's probability, in the order of the metadata's classes: "
                        + String.join(", ", model.classes()));
        String index = graph.node("ArgMax", List.of(probabilities), Map.of("axis", 1, "keepdims", 0));
        String classes = graph.strings("classes", model.classes());
        graph.node("Gather", List.of(classes, index), Map.of("axis", 0), "class");
        graph.output("class", TensorProto.DataType.STRING, 0, "the most probable class's name (the first of equals)");
    }

    private List<StringStringEntryProto> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("experiment", experiment);
        m.put("task", model.task().name().toLowerCase(java.util.Locale.ROOT));
        m.put("columns", Json.line(model.columns()));
        if (model.encoder() != null) {
            List<ColumnEncoder.Plan> plans = model.encoder().plans();
            m.put(
                    "input",
                    Json.line(plans.stream()
                            .filter(c -> c.type() == Table.Type.NUMERIC)
                            .map(ColumnEncoder.Plan::name)
                            .toList()));
            m.put(
                    "categorical",
                    Json.line(plans.stream()
                            .filter(c -> c.type() == Table.Type.CATEGORICAL)
                            .map(ColumnEncoder.Plan::name)
                            .toList()));
            m.put("missing", Json.line(model.encoder().missing()));
        }
        if (!model.label().isEmpty()) m.put("label", model.label());
        if (model.task() == Dataset.Task.CLASSIFICATION) m.put("classes", Json.line(model.classes()));
        m.put("precision", precision.name().toLowerCase(java.util.Locale.ROOT));
        m.put("config", config);
        List<StringStringEntryProto> entries = new ArrayList<>();
        m.forEach((key, value) -> entries.add(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value).build()));
        return entries;
    }

    private String columnsText() {
        return model.columns().isEmpty() ? model.inputs() + " unnamed inputs" : String.join(", ", model.columns());
    }

    private static double[] values(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) v[i] = array.get(i).asDouble();
        return v;
    }

    private static String version() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** The graph being built; its tensor and node names are unique, prefixed by the part of the model they belong to. */
    private static final class Graph implements LayerGraph {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        final Precision precision;
        String scope = "";
        private int counter;

        Graph(Precision precision) {
            this.precision = precision;
        }

        @Override
        public String node(String operator, List<String> inputs, Map<String, Object> attributes) {
            return node(operator, inputs, attributes, null);
        }

        String node(String operator, List<String> inputs, Map<String, Object> attributes, String output) {
            return node("", operator, inputs, attributes, output);
        }

        /** A node of the ai.onnx.ml domain. */
        String mlNode(String operator, String input, Map<String, Object> attributes) {
            return node(ML_DOMAIN, operator, List.of(input), attributes, null);
        }

        private String node(
                String domain, String operator, List<String> inputs, Map<String, Object> attributes, String output) {
            String name = scope + operator + "_" + counter++;
            String out = output == null ? name : output;
            var node = NodeProto.newBuilder()
                    .setOpType(operator)
                    .setName(name)
                    .addAllInput(inputs)
                    .addOutput(out);
            if (!domain.isEmpty()) node.setDomain(domain);
            new java.util.TreeMap<>(attributes).forEach((key, value) -> node.addAttribute(attribute(key, value)));
            graph.addNode(node);
            return out;
        }

        private static AttributeProto attribute(String name, Object value) {
            var a = AttributeProto.newBuilder().setName(name);
            if (value instanceof Double || value instanceof Float) {
                return a.setType(AttributeProto.AttributeType.FLOAT)
                        .setF(((Number) value).floatValue())
                        .build();
            }
            if (value instanceof Integer || value instanceof Long) {
                return a.setType(AttributeProto.AttributeType.INT)
                        .setI(((Number) value).longValue())
                        .build();
            }
            if (value instanceof String s) {
                return a.setType(AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFromUtf8(s))
                        .build();
            }
            if (value instanceof long[] longs) {
                for (long v : longs) a.addInts(v);
                return a.setType(AttributeProto.AttributeType.INTS).build();
            }
            if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                list.forEach(v -> a.addStrings(ByteString.copyFromUtf8((String) v)));
                return a.setType(AttributeProto.AttributeType.STRINGS).build();
            }
            throw new IllegalArgumentException("attribute '" + name + "' of type "
                    + (value == null ? "null" : value.getClass().getName())
                    + "; expected a Double, Float, Integer, Long, String, long[] or List of String");
        }

        @Override
        public String constant(double value) {
            return initializer("constant", new double[] {value});
        }

        @Override
        public boolean float64() {
            return precision == Precision.FLOAT64;
        }

        /** An initializer of the model's element type, {@code dims} its shape (none: a scalar). */
        @Override
        public String initializer(String what, double[] values, long... dims) {
            String name = scope + what + "_" + counter++;
            var tensor = TensorProto.newBuilder().setName(name).setDataType(precision.type.getNumber());
            for (long d : dims) tensor.addDims(d);
            ByteBuffer raw;
            if (precision == Precision.FLOAT64) {
                raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (double v : values) raw.putDouble(v);
            } else {
                raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (double v : values) raw.putFloat((float) v);
            }
            graph.addInitializer(tensor.setRawData(ByteString.copyFrom(raw.array())));
            return name;
        }

        /** A 1-D int64 initializer. */
        String int64s(String what, long[] values) {
            String name = scope + what + "_" + counter++;
            var tensor = TensorProto.newBuilder()
                    .setName(name)
                    .setDataType(TensorProto.DataType.INT64.getNumber())
                    .addDims(values.length);
            for (long v : values) tensor.addInt64Data(v);
            graph.addInitializer(tensor);
            return name;
        }

        String strings(String what, List<String> values) {
            String name = scope + what;
            var tensor = TensorProto.newBuilder()
                    .setName(name)
                    .setDataType(TensorProto.DataType.STRING.getNumber())
                    .addDims(values.size());
            values.forEach(v -> tensor.addStringData(ByteString.copyFrom(v, StandardCharsets.UTF_8)));
            graph.addInitializer(tensor);
            return name;
        }

        String input(String name, int width, String doc) {
            return input(name, precision.type, width, doc);
        }

        String input(String name, TensorProto.DataType type, int width, String doc) {
            graph.addInput(valueInfo(name, type, width, doc));
            return name;
        }

        void output(String name, TensorProto.DataType type, int width, String doc) {
            graph.addOutput(valueInfo(name, type, width, doc));
        }

        /** {@code [batch, width]}, or {@code [batch]} for a width of 0. */
        private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, int width, String doc) {
            var shape = TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
            if (width > 0) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
            var tensorType =
                    TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape);
            return ValueInfoProto.newBuilder()
                    .setName(name)
                    .setDocString(doc)
                    .setType(TypeProto.newBuilder().setTensorType(tensorType))
                    .build();
        }
    }
}
