package io.backprop.runner.run;

import io.backprop.runner.engine.Checkpoint;
import io.backprop.runner.engine.Evaluator;
import io.backprop.runner.engine.Resume;
import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.Outcome;
import io.backprop.runner.engine.Setup;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.spec.SpecException;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link Setup} and records the run in a new directory {@code <root>/<experiment>/<yyyyMMdd-HHmmss>-<id>/}:
 * config.yaml, what the exporters write (metrics.jsonl, metrics.prom), model.json and summary.json. An earlier run
 * is never overwritten, and whatever was recorded before a failure is kept.
 */
public final class ExperimentRun {
    static final String CHECKPOINT = "checkpoint.bin";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Setup setup;
    private final PrintStream out;
    private final PrintStream err;
    private final Progress.Mode mode;
    private Resume resume;
    private final Path directory;
    private final String runId;
    private final List<Exporter> exporters;

    private ExperimentRun(Setup setup, Path directory, String runId, PrintStream out, PrintStream err, Progress.Mode mode,
                          List<Exporter> exporters) {
        this.exporters = exporters;
        this.err = err;
        this.mode = mode;
        this.setup = setup;
        this.directory = directory;
        this.runId = runId;
        this.out = out;
    }

    /**
     * Runs {@code setup} under {@code runsRoot}, printing progress (as {@code mode} says) to {@code out} and exporters'
     * notes to {@code err}; the last line printed to {@code out} names the
     * run directory. Returns that directory when training completed or a stopping rule ended it; throws
     * {@link RunFailedException} when it diverged or failed, after recording everything.
     */
    public static Path execute(Setup setup, Path runsRoot, PrintStream out, PrintStream err, Progress.Mode mode) throws IOException {
        List<Exporter> exporters = prepareExporters(setup);
        try {
            return execute(setup, runsRoot, out, err, mode, exporters);
        } finally {
            release(exporters);
        }
    }

    private static Path execute(Setup setup, Path runsRoot, PrintStream out, PrintStream err, Progress.Mode mode,
                                List<Exporter> exporters) throws IOException {
        Path parent = RunsRoot.resolve(runsRoot, setup.experiment().name());
        Files.createDirectories(parent);
        var random = new SecureRandom();
        String stamp = LocalDateTime.now().format(STAMP);
        for (int attempt = 0; ; attempt++) {
            String id = stamp + "-" + HexFormat.of().toHexDigits((byte) random.nextInt()) + HexFormat.of().toHexDigits((short) random.nextInt());
            try {
                Path dir = Files.createDirectory(RunsRoot.resolve(parent, id));
                return new ExperimentRun(setup, dir, id, out, err, mode, exporters).run();
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) throw e;
            }
        }
    }

    /**
     * Runs {@code setup} in {@code directory} itself (a sweep's trial), made anew: anything a run left there
     * unfinished is removed first.
     */
    public static Path executeIn(Setup setup, Path directory, PrintStream out, PrintStream err, Progress.Mode mode) throws IOException {
        List<Exporter> exporters = prepareExporters(setup);
        try {
            return executeIn(setup, directory, out, err, mode, exporters);
        } finally {
            release(exporters);
        }
    }

    private static Path executeIn(Setup setup, Path directory, PrintStream out, PrintStream err, Progress.Mode mode,
                                  List<Exporter> exporters) throws IOException {
        if (Files.exists(directory)) {
            try (var files = Files.walk(directory)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(directory);
        return new ExperimentRun(setup, directory, directory.getFileName().toString(), out, err, mode, exporters).run();
    }

    /**
     * Goes on with the run in {@code directory} from its last checkpoint, to exactly the weights and metrics an
     * uninterrupted run would have reached; {@code setup} is the run's own config.yaml.
     */
    public static Path resume(Setup setup, Path directory, PrintStream out, PrintStream err, Progress.Mode mode) throws IOException {
        Path file = directory.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new io.backprop.runner.spec.SpecException(io.backprop.runner.spec.Where.of(directory.toString()).problem(
                    "has no checkpoint to resume from: the run finished, or it ran without training.checkpoint_every"));
        }
        Checkpoint checkpoint;
        try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            checkpoint = Checkpoint.read(in);
        }
        List<EpochMetrics> history = new ArrayList<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = Files.readAllLines(directory.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
        for (String line : lines.subList(0, Math.min(lines.size(), checkpoint.epoch()))) {
            var node = json.readTree(line);
            Map<String, Double> values = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("epoch")) values.put(e.getKey(), e.getValue().isNumber() ? e.getValue().doubleValue() : Double.NaN);
            });
            history.add(new EpochMetrics(node.get("epoch").asInt(), values));
        }
        List<Exporter> exporters = prepareExporters(setup);
        try {
            var run = new ExperimentRun(setup, directory, directory.getFileName().toString(), out, err, mode, exporters);
            run.resume = new Resume(checkpoint, history);
            return run.run();
        } finally {
            release(exporters);
        }
    }

    /**
     * Creates the exporters and lets each claim what it needs outside the run (a port to serve on) before any run
     * directory is made: one that cannot is bad input, reported at its place in the experiment, and the others let go.
     */
    private static List<Exporter> prepareExporters(Setup setup) {
        List<Exporter> exporters = new ArrayList<>();
        try {
            for (Resolved<MetricsExporter> r : setup.exporters()) {
                var exporter = new Exporter(r, r.create());
                exporters.add(exporter);
                r.call(() -> {
                    exporter.instance().prepare();
                    return null;
                });
            }
            return exporters;
        } catch (PluginException | IOException e) {
            release(exporters);
            var r = exporters.get(exporters.size() - 1).plugin();
            throw new SpecException(r.ref().where().problem(r.ref().kind() + " '" + r.ref().name() + "': " + e.getMessage()));
        } catch (RuntimeException e) {
            release(exporters);
            throw e;
        }
    }

    /** Closes the exporters the run did not close: those of a run that never started. */
    private static void release(List<Exporter> exporters) {
        for (Exporter exporter : exporters) {
            if (exporter.closed) continue;
            exporter.closed = true;
            try {
                exporter.plugin().call(() -> {
                    exporter.instance().close();
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                // nothing was recorded with it, so nothing is lost
            }
        }
    }

    private Path run() throws IOException {
        long started = System.nanoTime();
        var experiment = setup.experiment();
        if (resume == null) Files.writeString(directory.resolve("config.yaml"), ResolvedConfig.yaml(setup), StandardCharsets.UTF_8);
        Dataset train = setup.train();
        Dataset validation = setup.validation();
        boolean classification = train.task() == Dataset.Task.CLASSIFICATION;
        if (mode != Progress.Mode.QUIET) out.println(describe());

        var registry = new CompositeMeterRegistry();
        registry.config().commonTags("experiment", experiment.name(), "run", runId).meterFilter(new ConsistentTagKeys());
        Network network = setup.network();
        Outcome outcome = null;
        RuntimeException failure = null;
        RunMeters meters = null;
        try {
            var context = new ExportContext(experiment.name(), runId, directory, registry, err,
                    resume == null ? 1 : resume.checkpoint().epoch() + 1);
            for (Exporter exporter : exporters) {
                exporter.plugin().call(() -> {
                    exporter.instance().open(context);
                    return null;
                });
            }
            meters = new RunMeters(registry, classification, validation != null, network.layers());
            if (resume != null && !resume.history().isEmpty()) {
                meters.resumeFrom(resume.checkpoint().examples(),
                        resume.history().get(resume.history().size() - 1).get("examples_per_second"));
            }
            RunMeters m = meters;
            var progress = new Progress(out, mode, experiment.training().maxEpochs(), classification,
                    validation != null && validation != train);
            outcome = setup.trainer(network).train(train, validation, (trained, batchNanos) -> {
                EpochMetrics metrics = m.record(trained, train.rows(), batchNanos);
                progress.epochEnded(metrics, metrics.get("examples_per_second"));
                for (Exporter exporter : exporters) {
                    try {
                        exporter.plugin().call(() -> {
                            exporter.instance().epochEnded(metrics);
                            return null;
                        });
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }, resume, experiment.training().checkpointEvery(), this::saveCheckpoint);
            if (outcome.last() != null) progress.finished(outcome.last());
        } catch (RuntimeException | IOException e) {
            failure = e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        } catch (LinkageError | AssertionError | StackOverflowError e) {
            if (!PluginFailure.fromPlugin(e, setup)) throw e; // the runner's own: a bug
            failure = new IllegalStateException(e); // a plugin's, such as a class missing from its jar: the run failed
        } finally {
            for (Exporter exporter : exporters) {
                exporter.closed = true;
                try {
                    exporter.plugin().call(() -> {
                        exporter.instance().close();
                        return null;
                    });
                } catch (IOException | RuntimeException e) {
                    if (failure == null) failure = e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
                }
            }
            if (meters != null) meters.close();
            registry.close();
        }
        Double examplesPerSecond = meters == null || !Double.isFinite(meters.examplesPerSecond()) ? null : meters.examplesPerSecond();

        ModelFile.write(directory.resolve("model.json"), setup, network);
        if (failure == null) Files.deleteIfExists(directory.resolve(CHECKPOINT)); // a finished run has nothing to resume
        double[] test = setup.test() == null || failure != null ? null : new Evaluator(network, setup.cost().create()).evaluate(setup.test());
        double wall = (System.nanoTime() - started) / 1e9;
        String cause = failure == null ? null : PluginFailure.describe(failure, setup);
        Map<String, Object> summary = summary(outcome, cause, test, wall, examplesPerSecond);
        Json.write(directory.resolve("summary.json"), summary);
        Report.write(directory);

        if (mode != Progress.Mode.QUIET) out.println(finalLine(summary, outcome, validation != train));
        out.println(directory);
        if (failure != null) {
            throw new RunFailedException("run failed: " + cause + "; what it recorded is in " + directory, failure, directory);
        }
        if (outcome.status() == Outcome.Status.DIVERGED) {
            throw new RunFailedException("run diverged: " + outcome.stopReason()
                    + "; try a smaller learning rate or l2; what it recorded is in " + directory, null, directory);
        }
        return directory;
    }

    /** Writes the checkpoint beside a temporary file and renames it over the last: a crash never leaves half of one. */
    private void saveCheckpoint(Checkpoint checkpoint) {
        Path tmp = directory.resolve(CHECKPOINT + ".tmp");
        try {
            try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                    java.nio.channels.Channels.newOutputStream(java.nio.channels.FileChannel.open(tmp,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.DSYNC))))) {
                checkpoint.write(out);
            }
            Files.move(tmp, directory.resolve(CHECKPOINT), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint: " + e.getMessage(), e);
        }
    }

    /** An exporter and the plugin it came from, whose class loader its calls run under; closed once. */
    private static final class Exporter {
        private final Resolved<MetricsExporter> plugin;
        private final MetricsExporter instance;
        private boolean closed;

        Exporter(Resolved<MetricsExporter> plugin, MetricsExporter instance) {
            this.plugin = plugin;
            this.instance = instance;
        }

        Resolved<MetricsExporter> plugin() {
            return plugin;
        }

        MetricsExporter instance() {
            return instance;
        }
    }

    private String describe() {
        var e = setup.experiment();
        var s = new StringBuilder(e.name()).append(": ").append(setup.train().inputs());
        for (int i = 0; i < e.model().layers().size(); i++) {
            s.append('-').append(e.model().layers().get(i).units()).append(' ').append(setup.activations().get(i).ref().name());
        }
        s.append(", cost ").append(e.cost().name())
                .append(", ").append(setup.train().rows()).append(" training examples")
                .append(", batch ").append(e.training().batchSize())
                .append(", up to ").append(e.training().maxEpochs()).append(" epochs, seed ").append(e.seed());
        return s.toString();
    }

    /** {@code cause}: why the run failed, null when it did not. */
    private Map<String, Object> summary(Outcome outcome, String cause, double[] test, double wall, Double examplesPerSecond) {
        boolean classification = setup.train().task() == Dataset.Task.CLASSIFICATION;
        String second = classification ? "accuracy" : "rmse";
        EpochMetrics kept = outcome == null ? null : outcome.kept();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("experiment", setup.experiment().name());
        s.put("run", runId);
        s.put("status", cause != null ? "failed" : outcome.status().name().toLowerCase(Locale.ROOT));
        s.put("stop_reason", cause != null ? cause : outcome.stopReason());
        s.put("stopped_by", outcome == null ? null : outcome.stoppedBy());
        s.put("epochs", outcome == null ? 0 : outcome.epochs());
        s.put("best_epoch", outcome == null ? 0 : outcome.bestEpoch());
        s.put("kept_epoch", outcome == null ? 0 : outcome.keptEpoch());
        s.put("seed", setup.experiment().seed());
        // Train and validation figures are those of the kept weights, as is the test set's.
        s.put("train", kept == null ? null : split(kept.get("train_loss"), second, kept.get("train_" + second)));
        s.put("validation", kept == null || !kept.has("validation_loss") ? null
                : split(kept.get("validation_loss"), second, kept.get("validation_" + second)));
        s.put("test", test == null ? null : split(test[0], second, test[1]));
        s.put("wall_seconds", wall);
        s.put("training_seconds", outcome == null ? null : outcome.seconds());
        s.put("training_loop_seconds", outcome == null ? null : outcome.loopSeconds());
        s.put("parallel_share", outcome == null ? null : outcome.parallelShare());
        s.put("examples", outcome == null ? 0 : outcome.examples());
        s.put("examples_per_second", outcome == null ? null : examplesPerSecond);
        return s;
    }

    private static Map<String, Object> split(double loss, String second, double value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put(second, value);
        return m;
    }

    @SuppressWarnings("unchecked")
    /** The summary in a line; validation figures only when the validation set is not the training set itself. */
    private static String finalLine(Map<String, Object> summary, Outcome outcome, boolean showValidation) {
        var s = new StringBuilder().append(summary.get("status")).append(" after ").append(summary.get("epochs"))
                .append(" epochs: ").append(summary.get("stop_reason"));
        if (!summary.get("kept_epoch").equals(summary.get("epochs"))) s.append("; kept the weights of epoch ").append(summary.get("kept_epoch"));
        for (String split : new String[] {"train", "validation", "test"}) {
            if (summary.get(split) instanceof Map<?, ?> m && (showValidation || !split.equals("validation"))) {
                var values = (Map<String, Object>) m;
                s.append("; ").append(split);
                values.forEach((k, v) -> s.append(' ').append(k).append(' ')
                        .append(v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v)));
            }
        }
        if (outcome != null) {
            s.append(String.format(Locale.ROOT, "; %.2f s, %.0f examples/s", outcome.seconds(),
                    summary.get("examples_per_second") instanceof Double d ? d : 0.0));
        }
        return s.toString();
    }
}
