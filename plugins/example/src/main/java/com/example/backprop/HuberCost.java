package com.example.backprop;

import io.backprop.runner.plugin.Cost;

/** Per output, with {@code r = a - y}: {@code r^2 / 2} for {@code |r| <= delta}, else {@code delta (|r| - delta / 2)}. */
final class HuberCost implements Cost {
    private final double delta;

    HuberCost(double delta) {
        this.delta = delta;
    }

    @Override
    public double loss(double[] a, double[] y, int rows, int cols) {
        double s = 0;
        for (int i = 0, n = rows * cols; i < n; i++) {
            double r = Math.abs(a[i] - y[i]);
            s += r <= delta ? r * r / 2 : delta * (r - delta / 2);
        }
        return s / rows;
    }

    @Override
    public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) {
            double r = a[i] - y[i];
            da[i] = (Math.abs(r) <= delta ? r : Math.copySign(delta, r)) / rows;
        }
    }
}
