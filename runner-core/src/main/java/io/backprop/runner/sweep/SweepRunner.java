package io.backprop.runner.sweep;

import io.backprop.runner.registry.Registry;
import io.backprop.runner.run.ExperimentRun;
import io.backprop.runner.run.Progress;
import io.backprop.runner.run.RunFailedException;
import io.backprop.runner.run.RunsRoot;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.SweepPlan;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a sweep's trials: one by index (a cluster task), or all on a pool of threads here. Each trial is a normal run
 * directory, {@code trial-NNNN} under the sweep's directory; one with a summary.json is finished and skipped when the
 * sweep runs again, so an interrupted sweep goes on where it stopped.
 */
public final class SweepRunner {
    private final SweepPlan plan;
    private final Path file;
    private final String source;
    private final Path directory;
    private final Function<List<io.backprop.runner.spec.Experiment.PluginLocation>, Registry> registries;
    private final PrintStream out;
    private final AtomicBoolean stopping = new AtomicBoolean();

    public SweepRunner(
            SweepPlan plan,
            Path file,
            String source,
            Path runsRoot,
            Function<List<io.backprop.runner.spec.Experiment.PluginLocation>, Registry> registries,
            PrintStream out) {
        this.plan = plan;
        this.file = file;
        this.source = source;
        this.directory = directory(runsRoot, plan);
        this.registries = registries;
        this.out = out;
    }

    public static Path directory(Path runsRoot, SweepPlan plan) {
        return RunsRoot.resolve(runsRoot, plan.experiment(), plan.directoryName());
    }

    static String trialName(int index) {
        return String.format(Locale.ROOT, "trial-%04d", index);
    }

    public Path directory() {
        return directory;
    }

    /** Whether trial {@code index} already finished (its directory has a summary.json). */
    public boolean finished(int index) {
        return Files.isRegularFile(directory.resolve(trialName(index)).resolve("summary.json"));
    }

    /** Runs trial {@code index} unless it finished before, on {@code threads} threads; a diverged trial is a result too. */
    public void runTrial(int index, int threads) throws IOException {
        if (finished(index)) {
            out.println(
                    "trial " + index + " finished before: " + plan.trial(index).label());
            return;
        }
        var trial = plan.trial(index);
        List<String> overrides = new ArrayList<>(trial.overrides());
        overrides.add("training.threads=" + threads);
        var experiment = ExperimentReader.read(file, source, overrides);
        Setup setup = Setup.of(experiment, registries.apply(experiment.plugins()));
        long started = System.nanoTime();
        Path dir = RunsRoot.resolve(directory, trialName(index));
        try {
            ExperimentRun.executeIn(
                    setup, dir, new PrintStream(java.io.OutputStream.nullOutputStream()), out, Progress.Mode.QUIET);
        } catch (RunFailedException e) {
            // Recorded in the trial's summary.json; the sweep goes on.
        }
        var summary = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("summary.json").toFile());
        double objective = SweepResults.objective(summary, plan.objective().metric());
        out.printf(
                Locale.ROOT,
                "trial %d of 0-%d %s: %s, %s %.6g (%.1f s)%n",
                index,
                plan.size() - 1,
                summary.path("status").asText(),
                trial.label(),
                plan.objective().metric(),
                objective,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Runs every unfinished trial, {@code parallel} at a time, each on its share of the cores; stops starting new ones
     * when {@link #stop} is called. Returns how many trials are finished at the end.
     */
    public int runAll(int parallel) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Math.max(1, cores / parallel);
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "sweep-trial");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                if (stopping.get()) return null;
                runTrial(index, threads);
                done.incrementAndGet();
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SpecException s) throw s;
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            throw new IllegalStateException(e.getCause());
        }
        int finished = 0;
        for (int i = 0; i < plan.size(); i++) if (finished(i)) finished++;
        return finished;
    }

    /** No trial starts after this; the ones running finish. */
    public void stop() {
        stopping.set(true);
    }
}
