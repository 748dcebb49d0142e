package io.backprop.runner.evaluation;

import io.backprop.runner.plugin.Dataset;
import java.util.Map;

/** The metrics of a data set's task, as summary.json and {@code evaluate} give them beside the loss. */
public final class Metrics {
    private Metrics() {}

    /**
     * The keys a split gains beside {@code loss} and {@code accuracy} or {@code rmse}, in their order: for
     * classification those of {@link ClassificationMetrics.Result#toMap}, for regression those of
     * {@link RegressionMetrics.Result#toMap}. {@code outputs} are the model's for every row of {@code data}.
     */
    public static Map<String, Object> of(double[] outputs, Dataset data) {
        return data.task() == Dataset.Task.CLASSIFICATION
                ? ClassificationMetrics.of(outputs, data.y(), data.rows(), data.outputs(), data.classes())
                        .toMap()
                : RegressionMetrics.of(outputs, data.y(), data.rows(), data.outputs())
                        .toMap();
    }
}
