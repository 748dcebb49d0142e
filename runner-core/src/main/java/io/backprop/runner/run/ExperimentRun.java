package io.backprop.runner.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backprop.runner.engine.Checkpoint;
import io.backprop.runner.engine.Evaluator;
import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.Outcome;
import io.backprop.runner.engine.Profile;
import io.backprop.runner.engine.Resume;
import io.backprop.runner.engine.StopRequest;
import io.backprop.runner.evaluation.Metrics;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.setup.Setup;
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
 * is never overwritten, and whatever was recorded before a failure is kept. A run holds its directory's
 * {@link RunLock} while it writes there.
 */
public final class ExperimentRun {
    /** The checkpoint file of a run directory, there while the run can be resumed. */
    public static final String CHECKPOINT = "checkpoint.bin";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Setup setup;
    private final PrintStream out;
    private final PrintStream err;
    private final Progress.Mode mode;
    private Resume resume;
    private final Path directory;
    private final String runId;
    private final List<Exporter> exporters;
    private final StopRequest stop;
    private byte[] configSha256;
    private final java.security.MessageDigest metricsSha256 = CheckpointFile.sha256();
    private ObjectNode provenance;
    private Profile profile;

    private ExperimentRun(
            Setup setup,
            Path directory,
            String runId,
            PrintStream out,
            PrintStream err,
            Progress.Mode mode,
            StopRequest stop,
            List<Exporter> exporters) {
        this.stop = stop;
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
    public static Path execute(Setup setup, Path runsRoot, PrintStream out, PrintStream err, Progress.Mode mode)
            throws IOException {
        return execute(setup, runsRoot, out, err, mode, new StopRequest());
    }

    /**
     * As {@link #execute(Setup, Path, PrintStream, PrintStream, Progress.Mode)}, stopping at the end of the epoch in
     * which {@code stop} is requested: then it records everything and throws {@link RunInterruptedException}. The new
     * directory becomes the experiment's {@code latest}.
     */
    public static Path execute(
            Setup setup, Path runsRoot, PrintStream out, PrintStream err, Progress.Mode mode, StopRequest stop)
            throws IOException {
        return execute(setup, runsRoot, out, err, mode, stop, null);
    }

    /**
     * As {@link #execute(Setup, Path, PrintStream, PrintStream, Progress.Mode, StopRequest)}, timing each epoch's
     * phases into {@code profile} (null for none).
     */
    public static Path execute(
            Setup setup,
            Path runsRoot,
            PrintStream out,
            PrintStream err,
            Progress.Mode mode,
            StopRequest stop,
            Profile profile)
            throws IOException {
        List<Exporter> exporters = prepareExporters(setup);
        try {
            return execute(setup, runsRoot, out, err, mode, stop, exporters, profile);
        } finally {
            release(exporters);
        }
    }

    private static Path execute(
            Setup setup,
            Path runsRoot,
            PrintStream out,
            PrintStream err,
            Progress.Mode mode,
            StopRequest stop,
            List<Exporter> exporters,
            Profile profile)
            throws IOException {
        Path parent = RunsRoot.resolve(runsRoot, setup.experiment().name());
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw cannotWrite(runsRoot, e);
        }
        var random = new SecureRandom();
        String stamp = LocalDateTime.now().format(STAMP);
        for (int attempt = 0; ; attempt++) {
            String id = stamp + "-" + HexFormat.of().toHexDigits((byte) random.nextInt())
                    + HexFormat.of().toHexDigits((short) random.nextInt());
            Path dir;
            try {
                dir = Files.createDirectory(RunsRoot.resolve(parent, id));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) throw cannotWrite(runsRoot, e);
                continue;
            } catch (IOException e) {
                throw cannotWrite(runsRoot, e);
            }
            try (var lock = RunLock.acquire(dir)) {
                try {
                    RunDirectory.pointLatestAt(dir);
                } catch (IOException e) {
                    err.println("runner: cannot point " + parent.resolve(RunDirectory.LATEST) + " at the run: "
                            + IoFailure.describe(e));
                }
                var run = new ExperimentRun(setup, dir, id, out, err, mode, stop, exporters);
                run.profile = profile;
                return run.run();
            }
        }
    }

    private static io.backprop.runner.spec.SpecException cannotWrite(Path runsRoot, IOException e) {
        return new io.backprop.runner.spec.SpecException(io.backprop.runner.spec.Where.of(runsRoot.toString())
                .problem("cannot make a run directory there: " + IoFailure.describe(e)
                        + "; the runs root (--out) must be a directory you can write in"));
    }

    /**
     * Runs {@code setup} in {@code directory} itself (a sweep's trial), made anew: anything a run left there
     * unfinished is removed first.
     */
    public static Path executeIn(Setup setup, Path directory, PrintStream out, PrintStream err, Progress.Mode mode)
            throws IOException {
        List<Exporter> exporters = prepareExporters(setup);
        try {
            return executeIn(setup, directory, out, err, mode, exporters);
        } finally {
            release(exporters);
        }
    }

    private static Path executeIn(
            Setup setup, Path directory, PrintStream out, PrintStream err, Progress.Mode mode, List<Exporter> exporters)
            throws IOException {
        Files.createDirectories(directory);
        try (var lock = RunLock.acquire(directory)) {
            Path lockFile = directory.resolve(RunLock.FILE);
            try (var files = Files.walk(directory)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!p.equals(directory) && !p.equals(lockFile)) Files.delete(p);
                }
            }
            return new ExperimentRun(
                            setup,
                            directory,
                            directory.getFileName().toString(),
                            out,
                            err,
                            mode,
                            new StopRequest(),
                            exporters)
                    .run();
        }
    }

    /**
     * Goes on with the run in {@code directory} from its last checkpoint, to exactly the weights and metrics an
     * uninterrupted run would have reached; {@code setup} is the run's own config.yaml.
     */
    public static Path resume(Setup setup, Path directory, PrintStream out, PrintStream err, Progress.Mode mode)
            throws IOException {
        return resume(setup, directory, out, err, mode, new StopRequest());
    }

    /**
     * As {@link #resume(Setup, Path, PrintStream, PrintStream, Progress.Mode)}, stopping as {@code stop} asks. Nothing
     * is written before the whole checkpoint is checked: its checksum, that it is this run's, that config.yaml and
     * the epochs of metrics.jsonl it covers are as it was written after, and that it fits the network.
     */
    public static Path resume(
            Setup setup, Path directory, PrintStream out, PrintStream err, Progress.Mode mode, StopRequest stop)
            throws IOException {
        try (var lock = RunLock.acquire(directory)) {
            Path file = directory.resolve(CHECKPOINT);
            if (!Files.isRegularFile(file) && finished(directory)) {
                // Nothing is left to do: a job that resumes whatever state it finds (a requeued one) succeeds.
                out.println(directory + ": the run finished; nothing to resume");
                return directory;
            }
            String runId = directory.getFileName().toString();
            CheckpointFile.Verified verified;
            try {
                if (!Files.isRegularFile(file)) {
                    int every = setup.experiment().training().checkpointEvery();
                    throw new io.backprop.runner.spec.SpecException(
                            io.backprop.runner.spec.Where.of(directory.toString())
                                    .problem("has no checkpoint to resume from: "
                                            + (every == 0
                                                    ? "it ran without training.checkpoint_every"
                                                    : "it ended before its first one (training.checkpoint_every: "
                                                            + every + "); start the run again")));
                }
                verified = CheckpointFile.read(directory, runId);
            } catch (RuntimeException e) {
                lock.restore(); // a refused resume leaves the directory as it found it, .lock too
                throw e;
            }
            removeTemporaryFiles(directory);
            List<Exporter> exporters = prepareExporters(setup);
            try {
                var run = new ExperimentRun(setup, directory, runId, out, err, mode, stop, exporters);
                run.resume = new Resume(verified.checkpoint(), verified.history());
                run.configSha256 = CheckpointFile.sha256(Files.readAllBytes(directory.resolve("config.yaml")));
                for (EpochMetrics m : verified.history()) CheckpointFile.add(run.metricsSha256, m);
                return run.run();
            } finally {
                release(exporters);
            }
        }
    }

    /** Removes what a writer killed in the middle of a write left: {@code .<file>.<random>.tmp}, never renamed. */
    private static void removeTemporaryFiles(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")
                        && name.endsWith(".tmp")
                        && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Whether the run's summary says it ended by itself (completed, stopped or diverged), not failed or interrupted. */
    private static boolean finished(Path directory) {
        try {
            var status = RunSummary.read(directory.resolve("summary.json")).status();
            return status != null && status.finished();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The checkpoint's arrays have the network's shapes, and its optimizer state the shapes of a fresh optimizer's
     * (a plugin of another version may keep another state); checked before anything is written.
     */
    private void checkFits(Checkpoint c, Network network, Path file) {
        double[][] slots = network.slots();
        int[] lengths = new int[slots.length];
        for (int s = 0; s < slots.length; s++) lengths[s] = slots[s].length;
        var resolved = setup.optimizer();
        List<double[]> state = resolved.call(() -> {
            var optimizer = resolved.create();
            optimizer.prepare(lengths);
            return optimizer.state();
        });
        boolean stateFits = state.size() == c.optimizerState().size();
        for (int i = 0; stateFits && i < state.size(); i++)
            stateFits = state.get(i).length == c.optimizerState().get(i).length;
        if (!stateFits) {
            throw new io.backprop.runner.spec.SpecException(io.backprop.runner.spec.Where.of(file.toString())
                    .problem("its optimizer state does not fit optimizer '"
                            + resolved.ref().name() + "' (" + resolved.origin()
                            + "); the run cannot go on from it with this version of the plugin"));
        }
        boolean fits = c.parameters().length == slots.length
                && (c.bestParameters() == null || c.bestParameters().length == slots.length);
        for (int s = 0; fits && s < slots.length; s++) {
            fits = c.parameters()[s].length == lengths[s]
                    && (c.bestParameters() == null || c.bestParameters()[s].length == lengths[s]);
        }
        if (!fits) {
            throw new io.backprop.runner.spec.SpecException(io.backprop.runner.spec.Where.of(file.toString())
                    .problem("its weights do not fit the network of config.yaml; the run cannot go on from it"));
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
            throw new SpecException(
                    r.ref().where().problem(r.ref().kind() + " '" + r.ref().name() + "': " + e.getMessage()));
        } catch (RuntimeException e) {
            release(exporters);
            throw e;
        }
    }

    /** Closes the exporters the run did not close: those of a run that never started, so nothing it recorded is lost. */
    private static void release(List<Exporter> exporters) {
        for (Exporter exporter : exporters) {
            if (!exporter.closed) close(exporter);
        }
    }

    /** Closes {@code exporter}; returns what it threw, or null. */
    private static RuntimeException close(Exporter exporter) {
        exporter.closed = true;
        try {
            exporter.plugin().call(() -> {
                exporter.instance().close();
                return null;
            });
            return null;
        } catch (IOException e) {
            return new UncheckedIOException(e);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private Path run() throws IOException {
        long started = System.nanoTime();
        var experiment = setup.experiment();
        // A resumed run started when its config.yaml was written; the data files are read as they are now.
        provenance = RunSummary.tree(Provenance.of(
                setup,
                resume == null
                        ? java.time.Instant.now()
                        : Files.getLastModifiedTime(directory.resolve("config.yaml"))
                                .toInstant()));
        if (resume == null) {
            byte[] config = ResolvedConfig.yaml(setup).getBytes(StandardCharsets.UTF_8);
            try {
                AtomicFile.write(directory.resolve("config.yaml"), o -> o.write(config));
            } catch (IOException e) {
                throw new RunFailedException(
                        "run failed: cannot write " + IoFailure.describe(e) + "; nothing was trained", e, directory);
            }
            configSha256 = CheckpointFile.sha256(config);
        }
        Dataset train = setup.train();
        Dataset validation = setup.validation();
        boolean classification = train.task() == Dataset.Task.CLASSIFICATION;
        if (mode != Progress.Mode.QUIET) out.println(describe());

        var registry = new CompositeMeterRegistry();
        registry.config()
                .commonTags("experiment", experiment.name(), "run", runId)
                .meterFilter(new ConsistentTagKeys());
        Network network = setup.network();
        if (resume != null) checkFits(resume.checkpoint(), network, directory.resolve(CHECKPOINT));
        Outcome outcome = null;
        RuntimeException failure = null;
        RunMeters meters = null;
        try {
            var context = new ExportContext(
                    experiment.name(),
                    runId,
                    directory,
                    registry,
                    err,
                    resume == null ? 1 : resume.checkpoint().epoch() + 1);
            for (Exporter exporter : exporters) {
                exporter.plugin().call(() -> {
                    exporter.instance().open(context);
                    return null;
                });
            }
            meters = new RunMeters(registry, classification, validation != null, network.layers());
            if (resume != null && !resume.history().isEmpty()) {
                meters.resumeFrom(
                        resume.checkpoint().examples(),
                        resume.history().get(resume.history().size() - 1).get("examples_per_second"));
            }
            RunMeters m = meters;
            var progress = new Progress(
                    out,
                    mode,
                    experiment.training().maxEpochs(),
                    classification,
                    validation != null && validation != train);
            outcome = setup.trainer(network)
                    .stopOn(stop)
                    .profile(profile)
                    .train(
                            train,
                            validation,
                            (trained, batchNanos) -> {
                                EpochMetrics metrics = m.record(trained, train.rows(), batchNanos);
                                CheckpointFile.add(metricsSha256, metrics);
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
                            },
                            resume,
                            experiment.training().checkpointEvery(),
                            this::saveCheckpoint);
            if (outcome.last() != null) progress.finished(outcome.last());
        } catch (RuntimeException | IOException e) {
            failure = e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        } catch (LinkageError | AssertionError | StackOverflowError e) {
            if (!PluginFailure.fromPlugin(e, setup)) throw e; // the runner's own: a bug
            failure = new IllegalStateException(e); // a plugin's, such as a class missing from its jar: the run failed
        } finally {
            for (Exporter exporter : exporters) {
                RuntimeException e = close(exporter);
                if (failure == null) failure = e;
            }
            if (meters != null) meters.close();
            registry.close();
        }
        Double examplesPerSecond =
                meters == null || !Double.isFinite(meters.examplesPerSecond()) ? null : meters.examplesPerSecond();

        // Each file is tried even when one before it could not be written (a full disk): whatever fits is kept.
        String unwritten = null;
        try {
            ModelFile.write(directory.resolve("model.json"), setup, network);
        } catch (IOException | UncheckedIOException e) {
            unwritten = describe(e);
            if (failure == null)
                failure = new UncheckedIOException(
                        unwritten, e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
        boolean interrupted = failure == null && outcome.status() == Outcome.Status.INTERRUPTED;
        if (failure == null && !interrupted)
            Files.deleteIfExists(directory.resolve(CHECKPOINT)); // a finished run has nothing to resume
        // Measured with the kept weights and the plain cost: class weights apply to training alone.
        var evaluator = new Evaluator(network, setup.cost().create());
        double[] test = setup.test() == null || failure != null ? null : evaluator.evaluate(setup.test());
        Map<String, ObjectNode> figures = new LinkedHashMap<>();
        if (failure == null && outcome != null && outcome.kept() != null) {
            figures.put("train", RunSummary.tree(Metrics.of(evaluator.outputs(train), train)));
            if (validation != null)
                figures.put(
                        "validation",
                        validation == train
                                ? figures.get("train")
                                : RunSummary.tree(Metrics.of(evaluator.outputs(validation), validation)));
            if (test != null)
                figures.put("test", RunSummary.tree(Metrics.of(evaluator.outputs(setup.test()), setup.test())));
        }
        double wall = (System.nanoTime() - started) / 1e9;
        RunSummary summary =
                summary(outcome, failure == null ? null : cause(failure), test, figures, wall, examplesPerSecond);
        boolean summaryWritten = false;
        for (String name : List.of("summary.json", "report.html")) {
            try {
                if (name.equals("summary.json")) {
                    summary.write(directory.resolve(name));
                    summaryWritten = true;
                } else if (summaryWritten) {
                    Report.write(directory); // drawn from summary.json: without this run's, there is nothing to draw
                }
            } catch (IOException | UncheckedIOException e) {
                if (unwritten == null) unwritten = describe(e);
                if (failure == null)
                    failure = new UncheckedIOException(
                            unwritten, e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
            }
        }

        if (mode != Progress.Mode.QUIET) out.println(finalLine(summary, outcome, validation != train));
        out.println(directory);
        if (failure != null) {
            throw new RunFailedException(
                    "run failed: " + cause(failure) + "; what it recorded is in " + directory, failure, directory);
        }
        if (interrupted) {
            String next = Files.isRegularFile(directory.resolve(CHECKPOINT))
                    ? "; go on with: run --resume " + RunDirectory.shellWord(directory)
                    : "; it kept no checkpoint to go on from (training.checkpoint_every)";
            throw new RunInterruptedException(
                    "run interrupted by " + outcome.stopReason() + " after epoch " + outcome.epochs()
                            + "; what it recorded is in " + directory + next,
                    directory);
        }
        if (outcome.status() == Outcome.Status.DIVERGED) {
            throw new RunFailedException(
                    "run diverged: " + outcome.stopReason()
                            + "; try a smaller learning rate or l2; what it recorded is in " + directory,
                    null,
                    directory);
        }
        return directory;
    }

    /**
     * Writes the checkpoint, stamped with this run's id and the digests of its config and metrics so far, beside a
     * temporary file renamed over the last: a crash never leaves half of one.
     */
    private void saveCheckpoint(Checkpoint checkpoint) {
        Path file = directory.resolve(CHECKPOINT);
        try {
            byte[] metrics = ((java.security.MessageDigest) metricsSha256.clone()).digest();
            byte[] bytes = CheckpointFile.encode(checkpoint, new CheckpointFile.Owner(runId, configSha256, metrics));
            AtomicFile.write(file, o -> o.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + IoFailure.describe(e), e);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests clone", e);
        }
    }

    private static String describe(Exception e) {
        return "cannot write "
                + (e instanceof IOException io ? IoFailure.describe(io) : IoFailure.describe((UncheckedIOException) e));
    }

    /** A failure in a line: an I/O one names its file and cause, a plugin's names the plugin. */
    private String cause(RuntimeException failure) {
        return failure instanceof UncheckedIOException u
                ? IoFailure.describe(u)
                : PluginFailure.describe(failure, setup);
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
            s.append('-')
                    .append(setup.network().units(i))
                    .append(' ')
                    .append(setup.activations().get(i).ref().name());
        }
        s.append(", cost ")
                .append(e.cost().name())
                .append(", ")
                .append(setup.train().rows())
                .append(" training examples")
                .append(", batch ")
                .append(e.training().batchSize())
                .append(", up to ")
                .append(e.training().maxEpochs())
                .append(" epochs, seed ")
                .append(e.seed());
        return s.toString();
    }

    /** {@code cause}: why the run failed, null when it did not. */
    private RunSummary summary(
            Outcome outcome,
            String cause,
            double[] test,
            Map<String, ObjectNode> figures,
            double wall,
            Double examplesPerSecond) {
        var measure = setup.train().task() == Dataset.Task.CLASSIFICATION
                ? RunSummary.Measure.ACCURACY
                : RunSummary.Measure.RMSE;
        String second = measure.key();
        EpochMetrics kept = outcome == null ? null : outcome.kept();
        // Train and validation figures are those of the kept weights, as is the test set's.
        var trainSplit = kept == null
                ? null
                : new RunSummary.Split(
                        kept.get("train_loss"), measure, kept.get("train_" + second), figures.get("train"));
        var validationSplit = kept == null || !kept.has("validation_loss")
                ? null
                : new RunSummary.Split(
                        kept.get("validation_loss"),
                        measure,
                        kept.get("validation_" + second),
                        figures.get("validation"));
        var testSplit = test == null ? null : new RunSummary.Split(test[0], measure, test[1], figures.get("test"));
        var weights = setup.classWeights();
        // Only for categorical columns: cells of each split whose category training did not have (all-zero inputs).
        var unknown = setup.encoder() != null && setup.encoder().hasCategories() ? setup.unknownCategories() : null;
        return new RunSummary(
                setup.experiment().name(),
                runId,
                cause != null ? RunSummary.Status.FAILED : RunSummary.Status.of(outcome.status()),
                cause != null ? cause : outcome.stopReason(),
                outcome == null ? null : outcome.stoppedBy(),
                outcome == null ? 0 : outcome.epochs(),
                outcome == null ? 0 : outcome.bestEpoch(),
                outcome == null ? 0 : outcome.keptEpoch(),
                setup.experiment().seed(),
                trainSplit,
                validationSplit,
                testSplit,
                weights == null ? null : weights.byName(),
                weights == null ? null : false,
                unknown,
                wall,
                outcome == null ? null : outcome.seconds(),
                outcome == null ? null : outcome.loopSeconds(),
                outcome == null ? null : outcome.parallelShare(),
                outcome == null ? 0 : outcome.examples(),
                outcome == null ? null : examplesPerSecond,
                provenance);
    }

    /** The summary in a line; validation figures only when the validation set is not the training set itself. */
    private static String finalLine(RunSummary summary, Outcome outcome, boolean showValidation) {
        var s = new StringBuilder()
                .append(summary.status().text())
                .append(" after ")
                .append(summary.epochs())
                .append(" epochs: ")
                .append(summary.stopReason());
        if (!summary.keptEpoch().equals(summary.epochs()))
            s.append("; kept the weights of epoch ").append(summary.keptEpoch());
        appendSplit(s, "train", summary.train());
        if (showValidation) appendSplit(s, "validation", summary.validation());
        appendSplit(s, "test", summary.test());
        if (outcome != null) {
            s.append(String.format(
                    Locale.ROOT,
                    "; %.2f s, %.0f examples/s",
                    outcome.seconds(),
                    summary.examplesPerSecond() == null ? 0.0 : summary.examplesPerSecond()));
        }
        return s.toString();
    }

    /** A split's loss and accuracy or RMSE; the rest is for summary.json. */
    private static void appendSplit(StringBuilder s, String name, RunSummary.Split split) {
        if (split == null) return;
        s.append("; ")
                .append(name)
                .append(" loss ")
                .append(String.format(Locale.ROOT, "%.6g", split.loss()))
                .append(' ')
                .append(split.measure().key())
                .append(' ')
                .append(String.format(Locale.ROOT, "%.6g", split.value()));
    }
}
