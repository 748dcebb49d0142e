package io.backprop.runner.plugin;

import java.io.IOException;

/**
 * Publishes a run's metrics. The runner calls {@link #prepare} before it makes the run directory, {@link #open} before
 * the first epoch (add registries to the run's composite there), {@link #epochEnded} after each epoch, and
 * {@link #close} once at the end, also when the run fails or diverges, so that the last values are published, and
 * also after {@code prepare} alone when the run does not start. {@code epochEnded} runs on the training thread, between
 * epochs: an exporter that talks to a network does so on a thread of its own, so that a slow peer never holds
 * training up.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface MetricsExporter extends AutoCloseable {
    /**
     * Claims what the exporter needs from outside the run, such as a port to serve on, before any run directory is
     * made. A {@link PluginException} (or IOException) here is bad input: its message is shown at the exporter's place
     * in the experiment, and no run is started.
     */
    default void prepare() throws IOException {}

    void open(ExportContext context) throws IOException;

    default void epochEnded(EpochMetrics metrics) throws IOException {}

    @Override
    void close() throws IOException;
}
