package io.backprop.runner.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics of a model's outputs, with scikit-learn's conventions: RMSE over every output value (as the
 * loss's RMSE is), MAE the mean absolute error over every value, R² the mean over outputs of
 * {@code 1 - SS_res / SS_tot} ({@code r2_score}'s uniform average). An output whose targets are all one value has no
 * R² (scikit-learn would say 1 or 0); the mean takes the outputs that have one, and is null when none has.
 */
public final class RegressionMetrics {
    private RegressionMetrics() {}

    /** A data set's figures. */
    public record Result(int examples, Double rmse, Double mae, Double r2) {
        /** The keys of summary.json and {@code evaluate --json} beside {@code loss} and {@code rmse}, in their order. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("examples", examples);
            m.put("mae", mae);
            m.put("r2", r2);
            return m;
        }
    }

    /** The figures of {@code outputs} against {@code targets}, both {@code rows x cols} row-major. */
    public static Result of(double[] outputs, double[] targets, int rows, int cols) {
        if (outputs.length < rows * cols || targets.length < rows * cols) {
            throw new IllegalArgumentException("outputs of " + outputs.length + " and targets of " + targets.length
                    + " for " + rows + " x " + cols);
        }
        if (rows == 0) return new Result(0, null, null, null);
        double squares = 0;
        double absolute = 0;
        for (int i = 0; i < rows * cols; i++) {
            double d = outputs[i] - targets[i];
            squares += d * d;
            absolute += Math.abs(d);
        }
        Double[] r2 = new Double[cols];
        for (int j = 0; j < cols; j++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) mean += targets[r * cols + j];
            mean /= rows;
            double total = 0;
            double residual = 0;
            for (int r = 0; r < rows; r++) {
                double t = targets[r * cols + j];
                double d = t - outputs[r * cols + j];
                total += (t - mean) * (t - mean);
                residual += d * d;
            }
            r2[j] = total == 0 ? null : 1 - residual / total;
        }
        double n = (double) rows * cols;
        return new Result(
                rows, Math.sqrt(squares / n), absolute / n, ClassificationMetrics.mean(java.util.Arrays.asList(r2)));
    }
}
