package io.backprop.runner.engine;

import io.backprop.runner.plugin.EpochMetrics;

/** Hears each finished epoch, in order, on the training thread. */
public interface TrainingListener {
    void epochEnded(EpochMetrics metrics, Network network);
}
