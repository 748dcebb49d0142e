package io.backprop.runner.testkit;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.Optimizer;
import java.util.List;
import java.util.SplittableRandom;

/** Plain components the contracts put around the plugin under test, so a check depends on that plugin alone. */
final class Reference {
    private Reference() {}

    static Activation logistic() {
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

    static Activation tanh() {
        return new Activation() {
            @Override
            public void forward(double[] z, double[] a, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) a[i] = Math.tanh(z[i]);
            }

            @Override
            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) dz[i] = da[i] * (1 - a[i] * a[i]);
            }
        };
    }

    static Cost squaredError() {
        return new Cost() {
            @Override
            public double loss(double[] a, double[] y, int rows, int cols) {
                double s = 0;
                for (int i = 0; i < rows * cols; i++) s += (a[i] - y[i]) * (a[i] - y[i]);
                return s / (2.0 * rows);
            }

            @Override
            public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
                for (int i = 0; i < rows * cols; i++) da[i] = (a[i] - y[i]) / rows;
            }
        };
    }

    static Optimizer sgd(double learningRate) {
        return (slot, params, gradient, length) -> {
            for (int i = 0; i < length; i++) params[i] -= learningRate * gradient[i];
        };
    }

    static Initializer gaussian(double std) {
        return (values, length, fanIn, fanOut, random) -> {
            for (int i = 0; i < length; i++) values[i] = std * random.nextGaussian();
        };
    }

    static Initializer zeros() {
        return (values, length, fanIn, fanOut, random) -> java.util.Arrays.fill(values, 0, length, 0.0);
    }

    /** {@link #twoClasses()} with one-hot targets over two outputs, for softmax outputs. */
    static Dataset twoClassesOneHot() {
        Dataset d = twoClasses();
        double[] y = new double[d.rows() * 2];
        for (int r = 0; r < d.rows(); r++) y[r * 2 + (int) d.y()[r]] = 1;
        return new Dataset(d.x(), y, d.rows(), 2, 2, Dataset.Task.CLASSIFICATION, d.classes());
    }

    /** 16 points in the square, labelled by which side of a slanted line they fall: easy to learn, 0/1 targets. */
    static Dataset twoClasses() {
        var random = new SplittableRandom(5);
        int rows = 16;
        double[] x = new double[rows * 2];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = random.nextDouble() * 2 - 1;
            x[2 * r + 1] = random.nextDouble() * 2 - 1;
            y[r] = x[2 * r] + 0.5 * x[2 * r + 1] > 0 ? 1 : 0;
        }
        return new Dataset(x, y, rows, 2, 1, Dataset.Task.CLASSIFICATION, List.of("0", "1"));
    }
}
