package io.backprop.runner.plugin;

import io.backprop.runner.plugin.table.Table;
import java.util.List;
import java.util.Objects;

/**
 * Examples as two row-major matrices: {@code x} is {@code rows x inputs}, {@code y} is {@code rows x outputs}.
 * For classification, {@code y} is one-hot over {@code classes}, or, with a single output, 0 or 1.
 * The arrays are owned by the data set and never written after construction.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @param classes    class names for classification, in output order (two for a single 0/1 output); empty for regression
 * @param inputNames the input columns' names, in input order, where the source names them (a CSV header); else empty
 * @param labelName  the label column's name, where the source names it; else empty
 * @param table      for raw table columns, their types and categories: {@code x} then holds numbers, category
 *                   indices into {@link Table.Column#levels} and NaN for a missing cell, and the runner encodes it
 *                   (imputes, one-hot expands) after the split; null when {@code x} is ready to train on
 * @since 0.1
 */
public record Dataset(
        double[] x,
        double[] y,
        int rows,
        int inputs,
        int outputs,
        Task task,
        List<String> classes,
        List<String> inputNames,
        String labelName,
        Table table) {
    public enum Task {
        CLASSIFICATION,
        REGRESSION
    }

    public Dataset {
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(y, "y is null");
        Objects.requireNonNull(task, "task is null");
        Objects.requireNonNull(labelName, "labelName is null");
        classes = List.copyOf(classes);
        inputNames = List.copyOf(inputNames);
        if (!inputNames.isEmpty() && inputNames.size() != inputs) {
            throw new IllegalArgumentException(inputNames.size() + " input names for " + inputs + " inputs");
        }
        if (rows < 0 || inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("shape " + rows + " x " + inputs + " -> " + outputs);
        }
        if (x.length != rows * inputs)
            throw new IllegalArgumentException("x has " + x.length + " values, not " + rows + " x " + inputs);
        if (y.length != rows * outputs)
            throw new IllegalArgumentException("y has " + y.length + " values, not " + rows + " x " + outputs);
        if (table != null && (table.columns().size() != inputs || table.lines().length != rows)) {
            throw new IllegalArgumentException("a table of " + table.columns().size() + " columns and "
                    + table.lines().length + " rows for " + rows + " x " + inputs);
        }
    }

    /** Examples with named columns, ready to train on. */
    public Dataset(
            double[] x,
            double[] y,
            int rows,
            int inputs,
            int outputs,
            Task task,
            List<String> classes,
            List<String> inputNames,
            String labelName) {
        this(x, y, rows, inputs, outputs, task, classes, inputNames, labelName, null);
    }

    /** Examples whose columns have no names. */
    public Dataset(double[] x, double[] y, int rows, int inputs, int outputs, Task task, List<String> classes) {
        this(x, y, rows, inputs, outputs, task, classes, List.of(), "", null);
    }

    /** The same examples with their columns named. */
    public Dataset withNames(List<String> inputNames, String labelName) {
        return new Dataset(x, y, rows, inputs, outputs, task, classes, inputNames, labelName, table);
    }

    /** The same examples with inputs {@code x} in place of these (as transformed by preprocessing, say). */
    public Dataset withInputs(double[] x) {
        return new Dataset(x, y, rows, inputs, outputs, task, classes, inputNames, labelName, table);
    }

    /** The same examples with encoded inputs {@code x}, {@code names.size()} wide, in place of the raw table. */
    public Dataset encoded(double[] x, List<String> names) {
        return new Dataset(x, y, rows, names.size(), outputs, task, classes, names, labelName, null);
    }

    /** The same examples with labels {@code y} over {@code classes}, {@code outputs} wide. */
    public Dataset withLabels(double[] y, int outputs, List<String> classes) {
        return new Dataset(x, y, rows, inputs, outputs, task, classes, inputNames, labelName, table);
    }

    /** The examples at {@code indices}, in that order, as a new data set. */
    public Dataset select(int[] indices) {
        if (isEveryRowInOrder(indices)) return this; // rows are never written: no need to copy them
        double[] sx = new double[indices.length * inputs];
        double[] sy = new double[indices.length * outputs];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x, indices[i] * inputs, sx, i * inputs, inputs);
            System.arraycopy(y, indices[i] * outputs, sy, i * outputs, outputs);
        }
        return new Dataset(
                sx,
                sy,
                indices.length,
                inputs,
                outputs,
                task,
                classes,
                inputNames,
                labelName,
                table == null ? null : table.select(indices));
    }

    private boolean isEveryRowInOrder(int[] indices) {
        if (indices.length != rows) return false;
        for (int i = 0; i < rows; i++) if (indices[i] != i) return false;
        return true;
    }

    /** The class of example {@code row}: the largest output, or for a single output, whether it is above 0.5. */
    public int label(int row) {
        return labelOf(y, row, outputs);
    }

    /** The class a row of outputs stands for, as {@link #label(int)} reads it. */
    public static int labelOf(double[] values, int row, int outputs) {
        int o = row * outputs;
        if (outputs == 1) return values[o] > 0.5 ? 1 : 0;
        int best = 0;
        for (int j = 1; j < outputs; j++) if (values[o + j] > values[o + best]) best = j;
        return best;
    }
}
