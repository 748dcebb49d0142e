package io.backprop.runner.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.backprop.runner.engine.DenseLayer;
import io.backprop.runner.engine.Layer;
import io.backprop.runner.engine.Slot;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.spec.Experiment.LayerSpec;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.Where;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code a = g(a_in W + b)}: {@code units}, {@code activation}, {@code dropout}. model.json keeps its weights unit by
 * unit ({@code weights[unit][input]}) and its biases; ONNX export is a {@code Gemm}.
 */
final class DenseKind implements LayerKind {
    @Override
    public String name() {
        return "dense";
    }

    @Override
    public List<LayerKey> keys() {
        return List.of(
                LayerKey.required("units", LayerKey.Type.UNITS),
                LayerKey.required("activation", LayerKey.Type.ACTIVATION),
                LayerKey.optional("dropout", LayerKey.Type.HIDDEN_PROBABILITY, 0.0));
    }

    @Override
    public int units(LayerSpec spec, int fanIn) {
        return spec.units();
    }

    @Override
    public Layer build(LayerSpec spec, int fanIn, Activation activation, int maxBatch) {
        return new DenseLayer(fanIn, spec.units(), activation, spec.dropout(), maxBatch);
    }

    @Override
    public Layer build(int fanIn, int units, Activation activation, int maxBatch) {
        return new DenseLayer(fanIn, units, activation, 0, maxBatch);
    }

    /** Weights, then biases: initializers fill unit by unit, the order their draws are defined in. */
    @Override
    public void initialize(Layer layer, int index, Initialization initialization) {
        Slot w = layer.slots().get(0);
        double[] byUnit = new double[w.values().length];
        initialization.weights(byUnit, index, layer.fanIn(), layer.units());
        transpose(byUnit, w.values(), layer.units(), layer.fanIn());
        initialization.biases(layer.slots().get(1).values(), index, layer.fanIn(), layer.units());
    }

    @Override
    public Map<String, Object> write(Layer layer) {
        int fanIn = layer.fanIn();
        int units = layer.units();
        double[] byUnit = new double[fanIn * units];
        transpose(layer.slots().get(0).values(), byUnit, fanIn, units);
        List<double[]> rows = new ArrayList<>();
        for (int u = 0; u < units; u++) rows.add(Arrays.copyOfRange(byUnit, u * fanIn, (u + 1) * fanIn));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("weights", rows);
        m.put("biases", layer.slots().get(1).values().clone());
        return m;
    }

    @Override
    public double[][] read(JsonNode entry, int fanIn, int units, Where where, Problems problems) {
        String path = where.path();
        double[] byUnit = new double[units * fanIn];
        JsonNode rows = entry.path("weights");
        if (rows.size() != units)
            problems.add(where.at(path + ".weights"), "has " + rows.size() + " rows for " + units + " units");
        for (int u = 0; u < Math.min(rows.size(), units); u++) {
            if (rows.get(u).size() != fanIn)
                problems.add(
                        where.at(path + ".weights[" + u + "]"),
                        "has " + rows.get(u).size() + " weights for " + fanIn + " inputs");
            for (int i = 0; i < Math.min(fanIn, rows.get(u).size()); i++)
                byUnit[u * fanIn + i] = rows.get(u).get(i).asDouble();
        }
        double[] w = new double[fanIn * units];
        transpose(byUnit, w, units, fanIn);
        double[] b = new double[units];
        for (int u = 0; u < Math.min(units, entry.path("biases").size()); u++)
            b[u] = entry.path("biases").get(u).asDouble();
        return new double[][] {w, b};
    }

    @Override
    public String toOnnx(Layer layer, LayerGraph graph, String x) {
        int fanIn = layer.fanIn();
        int units = layer.units();
        double[] byUnit = new double[fanIn * units];
        transpose(layer.slots().get(0).values(), byUnit, fanIn, units);
        String w = graph.initializer("weights", byUnit, units, fanIn);
        String b = graph.initializer("biases", layer.slots().get(1).values(), units);
        return graph.node("Gemm", List.of(x, w, b), Map.of("transB", 1));
    }

    /** {@code to} = the transpose of {@code from}, {@code rows x cols}. */
    private static void transpose(double[] from, double[] to, int rows, int cols) {
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) to[c * rows + r] = from[r * cols + c];
    }
}
