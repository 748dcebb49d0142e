package io.backprop.runner.plugin;

import java.util.List;
import java.util.Optional;

/**
 * Decides after each epoch whether training should stop. Rules may keep state across epochs.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public interface StoppingRule {
    /** The reason to stop now, for the run's summary ("train_loss 0.00098 < 0.001"), or empty to go on. */
    Optional<String> afterEpoch(EpochMetrics metrics);

    /**
     * The metrics this rule reads, so that a run that does not measure one is bad input before training starts
     * ("this run does not measure validation_loss"). Empty by default: the rule reads only what every run measures.
     */
    default List<Metric> monitors() {
        return List.of();
    }

    /**
     * The metric ("validation_loss") whose best epoch's weights the run should end with, whether or not this rule
     * fires; null (the default) to keep the last epoch's. Losses and RMSE are best low, accuracies high.
     */
    default String restoreBestBy() {
        return null;
    }
}
