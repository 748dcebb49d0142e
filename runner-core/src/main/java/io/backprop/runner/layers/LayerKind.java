package io.backprop.runner.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.backprop.runner.engine.Layer;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.spec.Experiment.LayerSpec;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.Where;
import java.util.List;
import java.util.Map;

/**
 * A kind of layer, everything about it outside the engine in one place: its name in {@code model.layers[i].kind},
 * its keys (the spec reader and its messages), how it is built and initialised, how its parameter slots are written
 * to and read from model.json, and its ONNX nodes. Every kind has an {@code activation} key. The kinds are listed
 * in {@link LayerKinds}; a new one is an engine {@link Layer}, its {@code permits} entry, a kind and its line there.
 */
public interface LayerKind {
    /** As {@code kind:} names it. */
    String name();

    /** Its keys besides {@code kind}, in the order config.yaml writes them. */
    List<LayerKey> keys();

    /** Outputs per row of a layer of {@code spec} on top of {@code fanIn} inputs. */
    int units(LayerSpec spec, int fanIn);

    /** The layer for training, as {@code spec} describes it, sized for batches of {@code maxBatch} rows. */
    Layer build(LayerSpec spec, int fanIn, Activation activation, int maxBatch);

    /** The layer of a saved model, for inference: no training-only settings (dropout). */
    Layer build(int fanIn, int units, Activation activation, int maxBatch);

    /** Sets the initial parameters of {@code layer}, layer {@code index} of the network. */
    void initialize(Layer layer, int index, Initialization initialization);

    /** model.json entries for the layer's parameters, after {@code units} and {@code activation}. */
    Map<String, Object> write(Layer layer);

    /**
     * The parameter slots of a layer of {@code fanIn} inputs and {@code units} outputs from its model.json entry, in
     * slot order and the layer's layout; what does not fit is a problem at {@code where} (the entry's path).
     */
    double[][] read(JsonNode entry, int fanIn, int units, Where where, Problems problems);

    /** Its ONNX nodes from {@code x} up to (not including) the activation; the name of their output. */
    String toOnnx(Layer layer, LayerGraph graph, String x);
}
