package io.backprop.runner.plugin;

import java.util.List;

/**
 * How the learning rate changes over a run: a factor on the optimizer's configured rate, per epoch. The engine asks
 * {@link #factor} before each epoch and tells {@link #afterEpoch} what each epoch measured, in order, so a schedule
 * may follow the run (reduce-on-plateau) as well as the calendar.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public interface LearningRateSchedule {
    /** The factor for epoch {@code epoch} (counting from 1) of a run of at most {@code maxEpochs}; finite and > 0. */
    double factor(int epoch, int maxEpochs);

    /**
     * What epoch {@code metrics.epoch()} measured, its {@code learning_rate} included, before the factor of the next
     * epoch is asked. Nothing by default.
     */
    default void afterEpoch(EpochMetrics metrics) {}

    /**
     * The state the schedule carries between epochs, as its own live arrays in a fixed order. A checkpoint saves them
     * and resuming writes the saved values back into them, so a schedule whose state is all here resumes exactly.
     * Empty (the default) for a schedule that depends on the epoch alone.
     */
    default List<double[]> state() {
        return List.of();
    }

    /** The metrics {@link #afterEpoch} reads, so that a run that does not measure one is bad input; empty by default. */
    default List<Metric> monitors() {
        return List.of();
    }
}
