package io.backprop.runner.engine;

import io.backprop.runner.plugin.EpochMetrics;

/** Hears each finished epoch, in order, on the training thread. */
public interface TrainingListener {
    /**
     * {@code batchNanos} holds the wall time of each of the epoch's batches, in order; the trainer's own array,
     * valid during the call.
     */
    void epochEnded(EpochMetrics metrics, long[] batchNanos);
}
