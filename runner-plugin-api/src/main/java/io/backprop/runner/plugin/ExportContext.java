package io.backprop.runner.plugin;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What an exporter may use.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @param runDirectory the run's directory, for exporters that write files
 * @param registry     the run's registry, common tags {@code experiment} and {@code run} set; add yours to it
 * @param console      where to tell the user something (an address served, a push that failed): the runner's stderr
 * @param firstEpoch   the first epoch this process trains: 1, or the one after the checkpoint a resumed run goes on
 *                     from (files of per-epoch history keep the epochs before it and drop any after)
 * @since 0.1
 */
public record ExportContext(
        String experiment,
        String runId,
        Path runDirectory,
        CompositeMeterRegistry registry,
        PrintStream console,
        int firstEpoch) {
    public ExportContext {
        Objects.requireNonNull(experiment, "experiment is null");
        Objects.requireNonNull(runId, "runId is null");
        Objects.requireNonNull(runDirectory, "runDirectory is null");
        Objects.requireNonNull(registry, "registry is null");
        Objects.requireNonNull(console, "console is null");
    }
}
