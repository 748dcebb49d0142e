package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;

/** z for z > 0, alpha (e^z - 1) otherwise, whose derivative there is a + alpha. */
final class EluActivation implements Activation {
    private final double alpha;

    EluActivation(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public void forward(double[] z, double[] a, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) a[i] = z[i] > 0 ? z[i] : alpha * Math.expm1(z[i]);
    }

    @Override
    public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) dz[i] = z[i] > 0 ? da[i] : da[i] * (a[i] + alpha);
    }
}
