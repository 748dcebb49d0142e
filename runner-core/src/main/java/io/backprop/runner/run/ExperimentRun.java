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
import io.backprop.runner.registry.Resolved;
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

    private ExperimentRun(Setup setup, Path directory, String runId, PrintStream out, PrintStream err, Progress.Mode mode) {
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
        Path parent = RunsRoot.resolve(runsRoot, setup.experiment().name());
        Files.createDirectories(parent);
        var random = new SecureRandom();
        String stamp = LocalDateTime.now().format(STAMP);
        for (int attempt = 0; ; attempt++) {
            String id = stamp + "-" + HexFormat.of().toHexDigits((byte) random.nextInt()) + HexFormat.of().toHexDigits((short) random.nextInt());
            try {
                Path dir = Files.createDirectory(RunsRoot.resolve(parent, id));
                return new ExperimentRun(setup, dir, id, out, err, mode).run();
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
        if (Files.exists(directory)) {
            try (var files = Files.walk(directory)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(directory);
        return new ExperimentRun(setup, directory, directory.getFileName().toString(), out, err, mode).run();
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
        var run = new ExperimentRun(setup, directory, directory.getFileName().toString(), out, err, mode);
        run.resume = new Resume(checkpoint, history);
        return run.run();
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
        List<Exporter> exporters = new ArrayList<>();
        Network network = setup.network();
        Outcome outcome = null;
        RuntimeException failure = null;
        RunMeters meters = null;
        try {
            var context = new ExportContext(experiment.name(), runId, directory, registry, err,
                    resume == null ? 1 : resume.checkpoint().epoch() + 1);
            for (Resolved<MetricsExporter> r : setup.exporters()) {
                var exporter = new Exporter(r, r.create());
                exporters.add(exporter);
                r.call(() -> {
                    exporter.instance().open(context);
                    return null;
                });
            }
            meters = new RunMeters(registry, classification, validation != null, network.layers());
            RunMeters m = meters;
            var progress = new Progress(out, mode, experiment.training().maxEpochs(), classification,
                    validation != null && validation != train);
            outcome = setup.trainer(network).train(train, validation, (metrics, batchNanos) -> {
                progress.epochEnded(metrics, m.record(metrics, train.rows(), batchNanos));
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
        } finally {
            for (Exporter exporter : exporters) {
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

        ModelFile.write(directory.resolve("model.json"), setup, network);
        if (failure == null) Files.deleteIfExists(directory.resolve(CHECKPOINT)); // a finished run has nothing to resume
        double[] test = setup.test() == null || failure != null ? null : new Evaluator(network, setup.cost().create()).evaluate(setup.test());
        double wall = (System.nanoTime() - started) / 1e9;
        Map<String, Object> summary = summary(outcome, failure, test, wall);
        Json.write(directory.resolve("summary.json"), summary);
        Report.write(directory);

        if (mode != Progress.Mode.QUIET) out.println(finalLine(summary, outcome, validation != train));
        out.println(directory);
        if (failure != null) {
            throw new RunFailedException("run failed: " + failure.getMessage() + "; what it recorded is in " + directory, failure, directory);
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

    /** An exporter and the plugin it came from, whose class loader its calls run under. */
    private record Exporter(Resolved<MetricsExporter> plugin, MetricsExporter instance) {}

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

    private Map<String, Object> summary(Outcome outcome, RuntimeException failure, double[] test, double wall) {
        boolean classification = setup.train().task() == Dataset.Task.CLASSIFICATION;
        String second = classification ? "accuracy" : "rmse";
        EpochMetrics kept = outcome == null ? null : outcome.kept();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("experiment", setup.experiment().name());
        s.put("run", runId);
        s.put("status", failure != null ? "failed" : outcome.status().name().toLowerCase(Locale.ROOT));
        s.put("stop_reason", failure != null ? String.valueOf(failure.getMessage()) : outcome.stopReason());
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
        // Only for categorical columns: cells of each split whose category training did not have (all-zero inputs).
        if (setup.encoder() != null && setup.encoder().hasCategories()) s.put("unknown_categories", setup.unknownCategories());
        s.put("wall_seconds", wall);
        s.put("training_seconds", outcome == null ? null : outcome.seconds());
        s.put("training_loop_seconds", outcome == null ? null : outcome.loopSeconds());
        s.put("parallel_share", outcome == null ? null : outcome.parallelShare());
        s.put("examples", outcome == null ? 0 : outcome.examples());
        s.put("examples_per_second", outcome == null || outcome.seconds() == 0 ? null : outcome.examples() / outcome.seconds());
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
                    outcome.seconds() == 0 ? 0.0 : outcome.examples() / outcome.seconds()));
        }
        return s.toString();
    }
}
