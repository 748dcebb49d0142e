package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.Dataset;
import java.util.ArrayList;
import java.util.List;

/** Helpers for generated data: examples collected point by point, then one-hot classes. */
final class Generated {
    private final int inputs;
    private final int classes;
    private final List<double[]> points = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();

    Generated(int inputs, int classes) {
        this.inputs = inputs;
        this.classes = classes;
    }

    void add(int label, double... x) {
        points.add(x);
        labels.add(label);
    }

    /** Classification with one-hot targets over classes named "0", "1", ... */
    Dataset classification() {
        int rows = points.size();
        double[] x = new double[rows * inputs];
        double[] y = new double[rows * classes];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) names.add(Integer.toString(k));
        for (int r = 0; r < rows; r++) {
            System.arraycopy(points.get(r), 0, x, r * inputs, inputs);
            y[r * classes + labels.get(r)] = 1;
        }
        return new Dataset(x, y, rows, inputs, classes, Dataset.Task.CLASSIFICATION, names);
    }
}
