package io.backprop.runner.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.backprop.runner.engine.Layer;
import io.backprop.runner.engine.ScaleLayer;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.spec.Experiment.LayerSpec;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.Where;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code a = g(gamma ⊙ a_in)}, as wide as the layer below: {@code activation} ({@code identity} unless written).
 * gamma starts at 1 (it draws nothing from the initialization stream); model.json keeps it as {@code gamma}; ONNX
 * export is a {@code Mul}.
 */
final class ScaleKind implements LayerKind {
    @Override
    public String name() {
        return "scale";
    }

    @Override
    public List<LayerKey> keys() {
        return List.of(LayerKey.optional("activation", LayerKey.Type.ACTIVATION, "identity"));
    }

    @Override
    public int units(LayerSpec spec, int fanIn) {
        return fanIn;
    }

    @Override
    public Layer build(LayerSpec spec, int fanIn, Activation activation, int maxBatch) {
        return new ScaleLayer(fanIn, activation, maxBatch);
    }

    @Override
    public Layer build(int fanIn, int units, Activation activation, int maxBatch) {
        return new ScaleLayer(fanIn, activation, maxBatch);
    }

    @Override
    public void initialize(Layer layer, int index, Initialization initialization) {
        Arrays.fill(layer.slots().get(0).values(), 1);
    }

    @Override
    public Map<String, Object> write(Layer layer) {
        return Map.of("gamma", layer.slots().get(0).values().clone());
    }

    @Override
    public double[][] read(JsonNode entry, int fanIn, int units, Where where, Problems problems) {
        if (units != fanIn)
            problems.add(
                    where.at(where.path() + ".units"),
                    "is " + units + "; a scale layer is as wide as its " + fanIn + " inputs");
        JsonNode saved = entry.path("gamma");
        if (saved.size() != fanIn)
            problems.add(where.at(where.path() + ".gamma"), "has " + saved.size() + " values for " + fanIn + " units");
        double[] gamma = new double[fanIn];
        for (int j = 0; j < Math.min(fanIn, saved.size()); j++)
            gamma[j] = saved.get(j).asDouble();
        return new double[][] {gamma};
    }

    @Override
    public String toOnnx(Layer layer, LayerGraph graph, String x) {
        String gamma = graph.initializer("gamma", layer.slots().get(0).values(), layer.units());
        return graph.node("Mul", x, gamma);
    }
}
