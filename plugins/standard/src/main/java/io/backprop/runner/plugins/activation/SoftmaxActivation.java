package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.OnnxGraph;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code a_j = e^{z_j} / sum_k e^{z_k}} per row (the row maximum subtracted first, so no exponent overflows). Its
 * Jacobian couples a row's outputs; the vector-Jacobian product is {@code dz_j = a_j (da_j - sum_k da_k a_k)}.
 */
final class SoftmaxActivation implements Activation {
    @Override
    public void forward(double[] z, double[] a, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, z[o + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                a[o + j] = Math.exp(z[o + j] - max);
                sum += a[o + j];
            }
            for (int j = 0; j < cols; j++) a[o + j] /= sum;
        }
    }

    @Override
    public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += da[o + j] * a[o + j];
            for (int j = 0; j < cols; j++) dz[o + j] = a[o + j] * (da[o + j] - dot);
        }
    }

    @Override
    public Optional<String> toOnnx(OnnxGraph graph, String z) {
        return Optional.of(graph.node("Softmax", List.of(z), Map.of("axis", -1)));
    }
}
