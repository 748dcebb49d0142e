package io.backprop.runner.engine;

import io.backprop.runner.plugin.EpochMetrics;
import java.util.Objects;

/**
 * How training ended.
 *
 * @param status     completed (ran max_epochs), stopped (a rule fired), diverged (the loss left the finite numbers) or
 *                   interrupted (a {@link StopRequest}, at the end of an epoch)
 * @param stopReason what ended it, in words
 * @param stoppedBy  the name of the stopping rule that fired; null when none did
 * @param epochs     epochs run
 * @param bestEpoch  the epoch with the best monitored metric (a restoring rule's, else the lowest validation loss, else
 *                   train loss); 0 if none was finite
 * @param keptEpoch  the epoch whose weights the network ends with: the best one where a rule restores it, else the last
 * @param last       the last epoch's metrics; null when not one epoch finished
 * @param kept       the metrics of the kept epoch
 * @param examples   examples trained on
 * @param seconds    time spent training, evaluation after each epoch included
 * @param loopSeconds time spent in training steps alone (forward, backward, update), as benchmarks count it
 * @param parallelShare the share of training steps that ran on every thread (see {@link ThreadChoice}); 1 on one thread
 */
public record Outcome(
        Status status,
        String stopReason,
        String stoppedBy,
        int epochs,
        int bestEpoch,
        int keptEpoch,
        EpochMetrics last,
        EpochMetrics kept,
        long examples,
        double seconds,
        double loopSeconds,
        double parallelShare) {
    public enum Status {
        COMPLETED,
        STOPPED,
        DIVERGED,
        INTERRUPTED
    }

    public Outcome {
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(stopReason, "stopReason is null");
    }
}
