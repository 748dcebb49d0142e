package com.example.backprop;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.OnnxGraph;
import java.util.Optional;

/** {@code a = z s} with {@code s = sigmoid(beta z)}, so {@code da/dz = s + beta a (1 - s)}. */
final class SwishActivation implements Activation {
    private final double beta;

    SwishActivation(double beta) {
        this.beta = beta;
    }

    @Override
    public void forward(double[] z, double[] a, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) a[i] = z[i] / (1 + Math.exp(-beta * z[i]));
    }

    @Override
    public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) {
            double s = 1 / (1 + Math.exp(-beta * z[i]));
            dz[i] = da[i] * (s + beta * a[i] * (1 - s));
        }
    }

    /**
     * Exports as ONNX's Sigmoid and Mul, {@code z * Sigmoid(beta z)}; in float64 as {@code z / (1 + e^(-beta z))},
     * since ONNX Runtime fuses Sigmoid and Mul into an operator it has only for float32.
     */
    @Override
    public Optional<String> toOnnx(OnnxGraph graph, String z) {
        String scaled = beta == 1 ? z : graph.node("Mul", graph.constant(beta), z);
        if (!graph.float64()) return Optional.of(graph.node("Mul", z, graph.node("Sigmoid", scaled)));
        return Optional.of(graph.node(
                "Div", z, graph.node("Add", graph.constant(1), graph.node("Exp", graph.node("Neg", scaled)))));
    }
}
