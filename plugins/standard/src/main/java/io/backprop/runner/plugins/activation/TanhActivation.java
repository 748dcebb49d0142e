package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.OnnxGraph;
import java.util.Optional;

/** Hyperbolic tangent, outputs in (-1, 1). */
final class TanhActivation implements Activation {
    @Override
    public void forward(double[] z, double[] a, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) a[i] = Math.tanh(z[i]);
    }

    @Override
    public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) dz[i] = da[i] * (1 - a[i] * a[i]);
    }

    @Override
    public Optional<String> toOnnx(OnnxGraph graph, String z) {
        return Optional.of(graph.node("Tanh", z));
    }
}
