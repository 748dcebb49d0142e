package io.backprop.runner.layers;

import io.backprop.runner.plugin.OnnxGraph;

/** The ONNX graph as a layer kind writes into it: nodes, as activations write them, and the layer's parameters. */
public interface LayerGraph extends OnnxGraph {
    /** A constant tensor of {@code values} with shape {@code dims}, named after {@code what} in the layer's scope; its name. */
    String initializer(String what, double[] values, long... dims);
}
