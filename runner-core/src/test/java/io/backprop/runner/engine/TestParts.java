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

    /** {@code 1 / (1 + e^-z)}. */
    static Activation sigmoid() {
        return new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) a[i] = 1 / (1 + Math.exp(-z[i]));
            }

            @Override
            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) dz[i] = da[i] * a[i] * (1 - a[i]);
            }
        };
    }

    /** {@code C = -1/rows sum y ln a}, fused with softmax to {@code (a - y) / rows}; takes class weights. */
    static Cost crossEntropy() {
        return new Cost() {
            @Override
            public double loss(double[] a, double[] y, int rows, int cols) {
                double s = 0;
                for (int i = 0; i < rows * cols; i++) if (y[i] != 0) s -= y[i] * Math.log(a[i]);
                return s / rows;
            }

            @Override
            public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) da[i] = -y[i] / (a[i] * rows);
            }

            @Override
            public boolean takesClassWeights() {
                return true;
            }

            @Override
            public boolean fusesWith(String outputActivation) {
                return true;
            }

            @Override
            public void delta(double[] a, double[] y, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) dz[i] = (a[i] - y[i]) / rows;
            }
        };
    }

    /** {@code C = -1/rows sum [y ln a + (1 - y) ln(1 - a)]}, fused with sigmoid to {@code (a - y) / rows}; takes class weights. */
    static Cost binaryCrossEntropy() {
        return new Cost() {
            @Override
            public double loss(double[] a, double[] y, int rows, int cols) {
                double s = 0;
                for (int i = 0; i < rows * cols; i++) s -= y[i] * Math.log(a[i]) + (1 - y[i]) * Math.log1p(-a[i]);
                return s / rows;
            }

            @Override
            public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) da[i] = (a[i] - y[i]) / (a[i] * (1 - a[i]) * rows);
            }

            @Override
            public boolean takesClassWeights() {
                return true;
            }

            @Override
            public boolean fusesWith(String outputActivation) {
                return true;
            }

            @Override
            public void delta(double[] a, double[] y, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) dz[i] = (a[i] - y[i]) / rows;
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

    /** {@link #elementwiseSgd} saying it is plain gradient descent, so the products may take its step. */
    static Optimizer plainSgd(double learningRate) {
        Optimizer sgd = elementwiseSgd(learningRate);
        return new Optimizer() {
            @Override
            public void step(int slot, double[] params, double[] gradient, int length) {
                sgd.step(slot, params, gradient, length);
            }

            @Override
            public boolean elementwise() {
                return true;
            }

            @Override
            public void step(int slot, double[] params, double[] gradient, int from, int to) {
                sgd.step(slot, params, gradient, from, to);
            }

            @Override
            public double plainRate() {
                return learningRate;
            }
        };
    }

    static Optimizer sgd(double learningRate) {
        return (slot, params, gradient, length) -> {
            for (int i = 0; i < length; i++) params[i] -= learningRate * gradient[i];
        };
    }
}
