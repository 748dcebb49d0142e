package io.backprop.runner.plugin;

import java.util.List;
import java.util.Objects;

/**
 * The name of a per-epoch metric: the key of {@link EpochMetrics} and of metrics.jsonl, what a stopping rule or a
 * learning-rate schedule monitors, what the run's meters read. The one place these names are spelled.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @param key snake_case, such as {@code validation_loss} or {@code layer_0_gradient_norm}
 * @since 0.1
 */
public record Metric(String key) {
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[a-z][a-z0-9_]*");

    public static final Metric TRAIN_LOSS = new Metric("train_loss");
    public static final Metric TRAIN_ACCURACY = new Metric("train_accuracy");
    public static final Metric TRAIN_RMSE = new Metric("train_rmse");
    public static final Metric VALIDATION_LOSS = new Metric("validation_loss");
    public static final Metric VALIDATION_ACCURACY = new Metric("validation_accuracy");
    public static final Metric VALIDATION_RMSE = new Metric("validation_rmse");
    /** The learning rate in force during the epoch; absent for optimizers without one. */
    public static final Metric LEARNING_RATE = new Metric("learning_rate");
    /** Wall time of the epoch, its evaluation included. */
    public static final Metric SECONDS = new Metric("seconds");
    /** Added by the run's recorder: training examples per second of the training steps so far. */
    public static final Metric EXAMPLES_PER_SECOND = new Metric("examples_per_second");

    /** The metrics a rule or schedule may monitor, validation first. */
    public static final List<Metric> MONITORABLE =
            List.of(VALIDATION_LOSS, VALIDATION_ACCURACY, VALIDATION_RMSE, TRAIN_LOSS, TRAIN_ACCURACY, TRAIN_RMSE);

    public Metric {
        Objects.requireNonNull(key, "key is null");
        if (!KEY.matcher(key).matches()) throw new IllegalArgumentException("not a metric name: '" + key + "'");
    }

    /** The training or validation loss. */
    public static Metric loss(boolean validation) {
        return validation ? VALIDATION_LOSS : TRAIN_LOSS;
    }

    /** The second score of a split: accuracy for classification, RMSE for regression. */
    public static Metric score(boolean validation, boolean classification) {
        return validation
                ? (classification ? VALIDATION_ACCURACY : VALIDATION_RMSE)
                : (classification ? TRAIN_ACCURACY : TRAIN_RMSE);
    }

    /** The L2 norm of layer {@code l}'s weight gradient, the mean over the epoch's batches. */
    public static Metric layerGradientNorm(int layer) {
        return new Metric("layer_" + layer + "_gradient_norm");
    }

    /** The L2 norm of layer {@code l}'s weights at the end of the epoch. */
    public static Metric layerWeightNorm(int layer) {
        return new Metric("layer_" + layer + "_weight_norm");
    }

    /** The share of layer {@code l}'s units whose output is 0 for every training example at the end of the epoch. */
    public static Metric layerDeadFraction(int layer) {
        return new Metric("layer_" + layer + "_dead_fraction");
    }

    /** The keys of {@code metrics}, in order: for a {@link ParamSpec#choice} of monitors. */
    public static List<String> keys(List<Metric> metrics) {
        return metrics.stream().map(Metric::key).toList();
    }

    /** Accuracies are best high; losses, RMSE and the rest low. */
    public boolean higherIsBetter() {
        return key.endsWith("accuracy");
    }

    @Override
    public String toString() {
        return key;
    }
}
