package io.backprop.runner.engine;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Optimizer;

/** Components written in the tests, so the engine is checked apart from the standard plugins. */
final class TestParts {
    private TestParts() {}

    /** {@code z / (1 + |z|)}: element-wise, smooth. */
    static Activation softsign() {
        return new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) a[i] = z[i] / (1 + Math.abs(z[i]));
            }

            @Override
            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) {
                    double d = 1 + Math.abs(z[i]);
                    dz[i] = da[i] / (d * d);
                }
            }
        };
    }

    /** {@code z}: unbounded, so a run can diverge through it. */
    static Activation identity() {
        return new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                System.arraycopy(z, 0, a, 0, rows * cols);
            }

            @Override
            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                System.arraycopy(da, 0, dz, 0, rows * cols);
            }
        };
    }

    /** {@code max(0, z)}: exactly 0 for a dead unit, which the gradient check's shortcut relies on seeing. */
    static Activation relu() {
        return new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) a[i] = z[i] > 0 ? z[i] : 0;
            }

            @Override
            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) dz[i] = z[i] > 0 ? da[i] : 0;
            }
        };
    }

    /** Softmax over each row: a coupled activation, whose Jacobian is not diagonal. */
    static Activation softmax() {
        return new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                for (int r = 0; r < rows; r++) {
                    int o = r * cols;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < cols; j++) max = Math.max(max, z[o + j]);
                    double sum = 0;
                    for (int j = 0; j < cols; j++) sum += a[o + j] = Math.exp(z[o + j] - max);
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
        };
    }

    /** {@code C = 1/rows sum log cosh(a - y)}. */
    static Cost logCosh() {
        return new Cost() {
            @Override
            public double loss(double[] a, double[] y, int rows, int cols) {
                double s = 0;
                for (int i = 0; i < rows * cols; i++) s += Math.log(Math.cosh(a[i] - y[i]));
                return s / rows;
            }

            @Override
            public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) da[i] = Math.tanh(a[i] - y[i]) / rows;
            }
        };
    }

    /** Plain SGD that lets the engine update arrays in ranges from several threads. */
    static Optimizer elementwiseSgd(double learningRate) {
        return new Optimizer() {
            @Override
            public void step(int slot, double[] params, double[] gradient, int length) {
                step(slot, params, gradient, 0, length);
            }

            @Override
            public boolean elementwise() {
                return true;
            }

            @Override
            public void step(int slot, double[] params, double[] gradient, int from, int to) {
                for (int i = from; i < to; i++) params[i] -= learningRate * gradient[i];
            }
        };
    }

    static Optimizer sgd(double learningRate) {
        return (slot, params, gradient, length) -> {
            for (int i = 0; i < length; i++) params[i] -= learningRate * gradient[i];
        };
    }
}
