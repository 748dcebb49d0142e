package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;

/** z for z > 0, alpha z otherwise; the small slope keeps units from dying. */
final class LeakyReluActivation implements Activation {
    private final double alpha;

    LeakyReluActivation(double alpha) {
        this.alpha = alpha;
    }

    // Both sides computed, one kept by a mask (see Masks): W2 with leaky ReLU trained at 108k examples/s on one
    // thread with a branch, 121k masked.
    @Override
    public void forward(double[] z, double[] a, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) a[i] = Masks.select(Masks.positive(z[i]), z[i], alpha * z[i]);
    }

    @Override
    public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) dz[i] = Masks.select(Masks.positive(z[i]), da[i], alpha * da[i]);
    }
}
