package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.OnnxGraph;
import java.util.Optional;

/** Rectified linear unit max(0, z). */
final class ReluActivation implements Activation {
    @Override
    public void forward(double[] z, double[] a, int rows, int cols) {
        // Math.max compiles to a branch-free vector max; a branch on the sign of z mispredicts half the time.
        for (int i = 0, n = rows * cols; i < n; i++) a[i] = Math.max(z[i], 0.0);
    }

    @Override
    public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++)
            dz[i] = Masks.select(Masks.positive(z[i]), da[i], 0.0); // see Masks
    }

    @Override
    public Optional<String> toOnnx(OnnxGraph graph, String z) {
        return Optional.of(graph.node("Relu", z));
    }
}
