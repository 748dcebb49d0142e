package io.backprop.runner.cli;

import io.backprop.runner.spec.RunName;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.SweepPlan;
import io.backprop.runner.spec.Where;
import io.backprop.runner.sweep.Emit;
import io.backprop.runner.sweep.SweepResults;
import io.backprop.runner.sweep.SweepRunner;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = "Run the trials of an experiment's sweep: block here in parallel, one by index, or as a Slurm or"
                + " Kubernetes job; then sweep.csv and sweep.html.")
final class SweepCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "FILE", description = "An experiment file with a sweep: block.")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "The runs root (default: runs).")
    Path out = Path.of("runs");

    @Option(names = "--parallel", paramLabel = "N", description = "Trials at a time (default: the cores).")
    Integer parallel;

    @Option(names = "--trial", paramLabel = "I", description = "Run trial I alone (from 0), as a cluster task does.")
    Integer trial;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads for one trial (default: the cores over --parallel).")
    Integer threads;

    @Option(
            names = "--emit",
            paramLabel = "slurm|k8s",
            description = "Write a Slurm job-array script or a Kubernetes Indexed Job instead of running.")
    String emit;

    @Option(
            names = "--image",
            paramLabel = "IMAGE",
            description = "The container image for --emit k8s (default: ${DEFAULT-VALUE}).")
    String image = "eclipse-temurin:17-jre";

    @Option(names = "--collect", description = "Only build sweep.csv and sweep.html from the finished trials.")
    boolean collect;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    SweepCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws Exception {
        var modes = new java.util.ArrayList<String>();
        if (parallel != null && emit == null) modes.add("--parallel"); // --emit takes it: the tasks at a time
        if (trial != null) modes.add("--trial");
        if (emit != null) modes.add("--emit");
        if (collect) modes.add("--collect");
        if (modes.size() > 1) {
            throw new SpecException(Where.of(String.join(" ", modes))
                    .problem("choose one: --parallel N runs every trial here,"
                            + " --trial I one, --emit a job (with --parallel), --collect only gathers the tables"));
        }
        RunCommand.checkRunsRoot(out);
        SweepPlan plan = SweepPlan.read(file, file.toString());
        String note = RunName.note(file, file.toString(), plan.experiment());
        if (note != null) stderr.println(note);
        int cores = Runtime.getRuntime().availableProcessors();
        int p = parallel == null ? cores : parallel;
        if (p < 1) throw new SpecException(Where.of("--parallel").problem("expected 1 or more, got " + p));
        var runner = new SweepRunner(
                plan, file, file.toString(), out, locations -> plugins.registry(locations, stderr), stdout);
        Path dir = runner.directory();
        if (emit != null) {
            int cpus = threads == null ? 1 : threads;
            Path written;
            String text;
            if (emit.equals("slurm")) {
                written = dir.resolve("sweep.sbatch");
                text = Emit.slurm(plan, jar(), file.toAbsolutePath(), out.toAbsolutePath(), p, cpus);
            } else if (emit.equals("k8s")) {
                written = dir.resolve("sweep-job.yaml");
                text = Emit.kubernetes(plan, image, file.getFileName().toString(), p, cpus);
            } else {
                throw new SpecException(Where.of("--emit").problem("expected slurm or k8s, got '" + emit + "'"));
            }
            Files.createDirectories(dir);
            Files.writeString(written, text, StandardCharsets.UTF_8);
            stdout.println(written);
            return Main.OK;
        }
        if (trial != null) {
            if (trial < 0 || trial >= plan.size()) {
                throw new SpecException(Where.of("--trial")
                        .problem("expected a trial from 0 to " + (plan.size() - 1) + ", got " + trial));
            }
            runner.runTrial(trial, threads == null ? cores : threads);
            return Main.OK;
        }
        if (!collect) {
            stdout.println(plan.experiment() + ": " + plan.size() + " trials, " + p + " at a time, in " + dir);
            Thread hook = new Thread(() -> {
                runner.stop();
                stderr.println("interrupted: the trials that finished are kept; run the same command again to go on");
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                runner.runAll(p);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
            }
        }
        Files.createDirectories(dir);
        SweepResults.Collected collected = SweepResults.write(plan, dir);
        stdout.println(collected.finished() + " of " + plan.size() + " trials finished; " + dir.resolve("sweep.csv")
                + ", " + dir.resolve("sweep.html"));
        collected.table().forEach(stdout::println);
        stdout.println(dir);
        return Main.OK;
    }

    /** The runner.jar this process runs from, for scripts that run it again elsewhere. */
    private static Path jar() {
        try {
            Path location = Path.of(SweepCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return location.toString().endsWith(".jar")
                    ? location
                    : Path.of("runner.jar").toAbsolutePath();
        } catch (java.net.URISyntaxException | SecurityException e) {
            return Path.of("runner.jar").toAbsolutePath();
        }
    }
}
