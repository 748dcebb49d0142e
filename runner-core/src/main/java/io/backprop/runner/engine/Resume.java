package io.backprop.runner.engine;

import io.backprop.runner.plugin.EpochMetrics;
import java.util.List;
import java.util.Objects;

/**
 * Where to go on from: a checkpoint, and the metrics of every epoch up to it (from metrics.jsonl), in order.
 */
public record Resume(Checkpoint checkpoint, List<EpochMetrics> history) {
    public Resume {
        Objects.requireNonNull(checkpoint, "checkpoint is null");
        history = List.copyOf(history);
        if (history.size() != checkpoint.epoch()) {
            throw new IllegalArgumentException(
                    "metrics of " + history.size() + " epochs for a checkpoint at epoch " + checkpoint.epoch());
        }
    }
}
