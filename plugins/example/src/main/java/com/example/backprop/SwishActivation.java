package com.example.backprop;

import io.backprop.runner.plugin.Activation;

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
}
