package io.backprop.runner.run;

import io.backprop.runner.engine.Network;
import io.backprop.runner.layers.LayerKinds;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.setup.Setup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * model.json: the architecture, the plugins it needs (with where each came from) and each layer's parameters as its
 * kind writes them (a dense layer's weights row by row, {@code weights[unit][input]}, and biases; a layer of another
 * kind than dense names it in {@code kind}), and the input and label columns' names where the data had them; for table
 * columns, the fitted encoder (types, categories, what fills a gap), so that raw rows can be encoded as in training. Doubles are
 * written in their shortest exact form, so reading gives the same bits.
 */
final class ModelFile {
    static final String FORMAT = "backprop-runner/model";
    static final int VERSION = 1;

    private ModelFile() {}

    static void write(Path file, Setup setup, Network network) throws IOException {
        Dataset train = setup.train();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("experiment", setup.experiment().name());
        m.put("task", train.task().name().toLowerCase(Locale.ROOT));
        m.put("inputs", network.inputs());
        m.put("precision", network.precision().yamlName());
        // Written where the data names its columns; files without them (older ones too) take inputs by position.
        // With a column encoder, the columns are the raw ones the encoder takes, and "encoder" says how.
        if (setup.encoder() != null) m.put("columns", setup.encoder().inputColumns());
        else if (!train.inputNames().isEmpty()) m.put("columns", train.inputNames());
        if (!train.labelName().isEmpty()) m.put("label", train.labelName());
        m.put("classes", train.classes());
        Map<String, Object> cost = plugin(setup.cost());
        // For the record: evaluate and predict measure and answer without them, as training reports its losses.
        if (setup.classWeights() != null)
            cost.put("class_weights", setup.classWeights().byName());
        m.put("cost", cost);
        List<Object> steps = new ArrayList<>();
        for (int i = 0; i < setup.preprocessors().size(); i++) {
            Map<String, Object> step = plugin(setup.preprocessorPlugins().get(i));
            // Sorted: a plugin's map may iterate in any order (Map.of's changes with every JVM), model.json must not.
            step.put(
                    "state",
                    new java.util.TreeMap<>(setup.preprocessors().get(i).state()));
            steps.add(step);
        }
        if (setup.encoder() != null) m.put("encoder", setup.encoder().state());
        m.put("preprocess", steps);
        List<Object> layers = new ArrayList<>();
        for (int l = 0; l < network.layers(); l++) {
            Map<String, Object> layer = new LinkedHashMap<>();
            String kind = setup.experiment().model().layers().get(l).kind();
            // Dense layers write no kind: their entries are as model.json had them before there were kinds.
            if (!kind.equals(LayerKinds.DEFAULT)) layer.put("kind", kind);
            layer.put("units", network.units(l));
            layer.put("activation", plugin(setup.activations().get(l)));
            layer.putAll(LayerKinds.of(kind).write(network.layer(l)));
            layers.add(layer);
        }
        m.put("layers", layers);
        Json.write(file, m);
    }

    private static Map<String, Object> plugin(Resolved<?> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.ref().name());
        m.put("params", r.params().asMap());
        m.put("origin", r.origin());
        m.put("version", r.version());
        return m;
    }
}
