package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.OnnxGraph;
import java.util.Optional;

/** {@code ln(1 + e^z)}, computed as {@code max(z, 0) + ln(1 + e^-|z|)} so large |z| neither overflows nor rounds to 0; its derivative is the sigmoid. */
final class SoftplusActivation implements Activation {
    @Override
    public void forward(double[] z, double[] a, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) a[i] = Math.max(z[i], 0) + Math.log1p(Math.exp(-Math.abs(z[i])));
    }

    @Override
    public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) dz[i] = da[i] / (1 + Math.exp(-z[i]));
    }

    // ONNX Runtime has no float64 Softplus: float64 models compute max(z, 0) + ln(1 + e^-|z|) themselves.
    @Override
    public Optional<String> toOnnx(OnnxGraph graph, String z) {
        if (!graph.float64()) return Optional.of(graph.node("Softplus", z));
        String tail = graph.node(
                "Log",
                graph.node("Add", graph.constant(1), graph.node("Exp", graph.node("Neg", graph.node("Abs", z)))));
        return Optional.of(graph.node("Add", graph.node("Max", z, graph.constant(0)), tail));
    }
}
