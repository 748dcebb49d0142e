package io.backprop.runner.plugins.initializer;

import com.fasterxml.jackson.databind.JsonNode;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.PluginException;
import java.util.random.RandomGenerator;

/** Copies a saved model's layer into the same layer here; the two must have the same shape. Draws nothing. */
final class FromModelInitializer implements Initializer {
    private final String source;
    private final JsonNode layers;

    FromModelInitializer(String source, JsonNode layers) {
        this.source = source;
        this.layers = layers;
    }

    @Override
    public void initialize(double[] values, int length, int fanIn, int fanOut, RandomGenerator random) {
        throw new IllegalStateException("from-model needs to know the layer");
    }

    @Override
    public void initialize(
            double[] values, int length, int layer, boolean biases, int fanIn, int fanOut, RandomGenerator random) {
        if (layer >= layers.size()) {
            throw new PluginException(source + " has " + layers.size() + (layers.size() == 1 ? " layer" : " layers")
                    + "; this model has more");
        }
        JsonNode saved = layers.get(layer);
        if (biases) {
            JsonNode b = saved.path("biases");
            if (b.size() != fanOut) {
                throw new PluginException(
                        source + " layer " + layer + " has " + b.size() + (b.size() == 1 ? " bias" : " biases")
                                + "; this layer has " + fanOut + (fanOut == 1 ? " unit" : " units"));
            }
            for (int u = 0; u < fanOut; u++) values[u] = b.get(u).asDouble();
            return;
        }
        JsonNode rows = saved.path("weights");
        int savedIn = rows.size() == 0 ? 0 : rows.get(0).size();
        if (rows.size() != fanOut || savedIn != fanIn) {
            throw new PluginException(source + " layer " + layer + " has " + rows.size() + " x " + savedIn
                    + " weights (units x inputs); this layer has " + fanOut + " x " + fanIn);
        }
        for (int u = 0; u < fanOut; u++) {
            for (int i = 0; i < fanIn; i++)
                values[u * fanIn + i] = rows.get(u).get(i).asDouble();
        }
    }
}
