package io.backprop.runner.cli;

import io.backprop.runner.engine.StopRequest;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.run.ExperimentRun;
import io.backprop.runner.run.IoFailure;
import io.backprop.runner.run.Progress;
import io.backprop.runner.run.ResolvedConfig;
import io.backprop.runner.run.RunDirectory;
import io.backprop.runner.run.RunFailedException;
import io.backprop.runner.run.RunInterruptedException;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.Bases;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Train the experiment and record the run; the last line printed names the run directory.")
final class RunCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The experiment file (.yaml).")
    String file;

    @Option(
            names = "--resume",
            paramLabel = "RUN_DIR",
            description =
                    "Go on with a run from its last checkpoint (training.checkpoint_every), instead of a new run.")
    Path resume;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "The runs root (default: runs in the working directory).")
    Path out = Path.of("runs");

    @Mixin
    ExperimentOptions experiment = new ExperimentOptions();

    @Option(
            names = "--print-config",
            description = "Print the resolved experiment (every default filled in, overrides applied) and exit.")
    boolean printConfig;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only the run directory.")
    boolean quiet;

    @Option(
            names = "--json",
            description =
                    "Print summary.json (with the run directory) on standard output; progress goes to standard error.")
    boolean json;

    private final PrintStream stdout;
    private final PrintStream stderr;

    RunCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws Exception {
        if ((file == null && experiment.configs.isEmpty()) == (resume == null)) {
            throw new SpecException(Where.of("run").problem("name an experiment FILE, or --resume RUN_DIR, not both"));
        }
        if (resume != null
                && (!experiment.overrides.isEmpty()
                        || !experiment.configs.isEmpty()
                        || experiment.seed != null
                        || experiment.threads != null)) {
            throw new SpecException(Where.of("--resume")
                    .problem("a resumed run keeps its own config.yaml; --set, --config and --seed do not apply"));
        }
        if (resume != null) resume = RunDirectory.resolve(resume);
        else checkRunsRoot(out);
        Setup setup =
                resume != null ? experiment.load(resume.resolve("config.yaml").toString(), stderr) : load();
        if (printConfig) {
            stdout.print(ResolvedConfig.yaml(setup));
            return Main.OK;
        }
        PrintStream progress = json ? stderr : stdout;
        Progress.Mode mode =
                quiet ? Progress.Mode.QUIET : System.console() != null ? Progress.Mode.LIVE : Progress.Mode.LINES;
        // Which kernels train, where anything does (a finished run resumed has nothing to train), before the progress.
        boolean trains = resume == null || Files.isRegularFile(resume.resolve(ExperimentRun.CHECKPOINT));
        if (!quiet && trains)
            progress = firstLine(
                    progress,
                    "kernels: " + Products.kernels() + ", " + setup.network().arithmetic());
        var stop = new StopRequest();
        try (var signals = Signals.stopOn(stop, stderr)) {
            Path directory;
            try {
                directory = start(setup, progress, mode, stop);
            } catch (RunInterruptedException e) {
                if (json) printSummary(e.directory());
                stderr.println(e.getMessage());
                return signals.exitCode() == 0 ? Main.RUN_FAILED : signals.exitCode();
            } catch (RunFailedException e) {
                if (json) printSummary(e.directory());
                throw e;
            }
            if (json) printSummary(directory);
            return Main.OK;
        }
    }

    /** The experiment; a file meant only to be extended says which files to run instead. */
    private Setup load() {
        try {
            return experiment.load(file, stderr);
        } catch (SpecException e) {
            var by = file == null || !experiment.configs.isEmpty() ? List.<Path>of() : Bases.extendedBy(Path.of(file));
            if (by.isEmpty() || !Bases.onlyMissing(e)) throw e;
            throw new SpecException(Where.of(file)
                    .problem("a base, not an experiment: alone it lacks "
                            + String.join(
                                    ", ",
                                    e.problems().stream()
                                            .map(p -> p.where().path())
                                            .toList()) + "; run a file that extends it ("
                            + String.join(
                                    ", ",
                                    by.stream()
                                            .map(p -> p.getFileName().toString())
                                            .toList()) + ")"));
        }
    }

    private Path start(Setup setup, PrintStream progress, Progress.Mode mode, StopRequest stop)
            throws java.io.IOException {
        return resume != null
                ? ExperimentRun.resume(setup, resume, progress, stderr, mode, stop)
                : ExperimentRun.execute(setup, out, progress, stderr, mode, stop);
    }

    /**
     * --out is a directory this process can write in, or can be made in one, before any data is loaded; nothing is
     * made yet (bad input starts no run).
     */
    static void checkRunsRoot(Path out) {
        Path existing = out.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return;
        if (!Files.isDirectory(existing)) {
            throw new SpecException(Where.of("--out")
                    .problem((existing.equals(out.toAbsolutePath()) ? out : existing)
                            + " is not a directory; name a directory for the runs (it is made if missing)"));
        }
        try {
            Files.delete(Files.createTempFile(existing, ".write-test", ".tmp"));
        } catch (java.io.IOException e) {
            throw new SpecException(Where.of("--out")
                    .problem("cannot write in " + (existing.equals(out.toAbsolutePath()) ? out : existing) + ": "
                            + IoFailure.cause(e) + "; name a directory you can write in"));
        }
    }

    /**
     * {@code out}, printing {@code line} before the first thing printed through it: so that a run refused before its
     * first epoch prints its one line of error alone.
     */
    private static PrintStream firstLine(PrintStream out, String line) {
        return new PrintStream(
                new java.io.FilterOutputStream(out) {
                    private boolean started;

                    @Override
                    public void write(int b) throws java.io.IOException {
                        start();
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws java.io.IOException {
                        start();
                        out.write(b, off, len);
                    }

                    private void start() {
                        if (started) return;
                        started = true;
                        ((PrintStream) out).println(line);
                    }
                },
                true,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** summary.json as one line of JSON, with the run directory added. */
    private void printSummary(Path directory) throws java.io.IOException {
        var summary = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(directory.resolve("summary.json").toFile());
        summary.put("run_directory", directory.toString());
        stdout.println(summary.toString());
    }
}
