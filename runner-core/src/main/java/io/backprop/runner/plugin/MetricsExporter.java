package io.backprop.runner.plugin;

import java.io.IOException;

/**
 * Publishes a run's metrics. The runner calls {@link #open} before the first epoch (add registries to the run's
 * composite there), {@link #epochEnded} after each epoch, and {@link #close} once at the end, also when the run
 * fails or diverges, so that the last values are published.
 */
public interface MetricsExporter extends AutoCloseable {
    void open(ExportContext context) throws IOException;

    default void epochEnded(EpochMetrics metrics) throws IOException {}

    @Override
    void close() throws IOException;
}
