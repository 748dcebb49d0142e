package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.OnnxGraph;
import java.util.Optional;

/** Identity z, for regression outputs. */
final class IdentityActivation implements Activation {
    @Override
    public void forward(double[] z, double[] a, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) a[i] = z[i];
    }

    @Override
    public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) dz[i] = da[i];
    }

    @Override
    public Optional<String> toOnnx(OnnxGraph graph, String z) {
        return Optional.of(graph.node("Identity", z));
    }
}
