package io.backprop.runner.engine;

import io.backprop.runner.plugin.EpochMetrics;
import java.util.Objects;

/**
 * How training ended.
 *
 * @param status     completed (ran max_epochs), stopped (a rule fired) or diverged (the loss left the finite numbers)
 * @param stopReason what ended it, in words
 * @param epochs     epochs run
 * @param bestEpoch  the epoch with the lowest validation loss (train loss without validation); 0 if none was finite
 * @param last       the last epoch's metrics; null when not one epoch finished
 * @param examples   examples trained on
 * @param seconds    time spent training
 */
public record Outcome(Status status, String stopReason, int epochs, int bestEpoch, EpochMetrics last,
                      long examples, double seconds) {
    public enum Status { COMPLETED, STOPPED, DIVERGED }

    public Outcome {
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(stopReason, "stopReason is null");
    }
}
