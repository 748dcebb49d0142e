package io.backprop.runner.plugins.activation;

import io.backprop.runner.plugin.Activation;

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
}
