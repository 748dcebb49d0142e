package io.backprop.runner.cli;

import io.backprop.runner.engine.Profile;
import io.backprop.runner.engine.StopRequest;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.run.ExperimentRun;
import io.backprop.runner.run.Json;
import io.backprop.runner.run.Progress;
import io.backprop.runner.run.RunSummary;
import io.backprop.runner.setup.Setup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Train an experiment and print its training throughput: examples/s of the training steps alone"
                        + " (as the peer benchmarks count them), GFLOP/s at 6 flops per weight and example, and the share of a ceiling.")
final class BenchCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "FILE", description = "The experiment file.")
    String file;

    @Option(
            names = "--ceiling",
            paramLabel = "GFLOPS",
            description =
                    "The machine's measured float64 GEMM GFLOP/s per thread (default ${DEFAULT-VALUE}: OpenBLAS on this kind of machine);"
                            + " a float32 run's ceiling is twice it (a vector holds twice as many floats as doubles).")
    double ceiling = 80;

    @Option(names = "--json", description = "Print one JSON line.")
    boolean json;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description =
                    "Train the experiment N times first in the same JVM and measure the run after (default ${DEFAULT-VALUE});"
                            + " the peers' W1 script likewise times its second run.")
    int warmup = 0;

    @Option(
            names = "--profile",
            description = "Also print where each epoch's time went: the share of forward, backward, update, data copy,"
                    + " evaluation and the rest, and the epoch's milliseconds.")
    boolean profile;

    @Mixin
    ExperimentOptions experiment = new ExperimentOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    BenchCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws Exception {
        if (warmup < 0)
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--warmup must be 0 or more, not " + warmup);
        if (!(ceiling > 0) || Double.isInfinite(ceiling))
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--ceiling must be a positive number of GFLOP/s, not " + ceiling);
        for (int i = 0; i < warmup; i++) train(experiment.load(file, stderr), null);
        if (warmup > 0) System.gc(); // the warm-up runs' data sets, collected now rather than while measuring
        Setup setup = experiment.load(file, stderr);
        Profile phases = profile ? new Profile() : null;
        RunSummary summary = train(setup, phases);
        long weights = 0;
        var network = setup.network();
        for (int l = 0; l < network.layers(); l++)
            if (!network.slots(l).isEmpty()) weights += network.slots(l).get(0).values().length;
        double loop = summary.trainingLoopSeconds();
        double parallelShare = summary.parallelShare();
        long examples = summary.examples();
        int epochs = summary.epochs();
        double wholeEpochsPerSecond = epochs / summary.trainingSeconds();
        String kernels = Products.kernels();
        int threads = setup.experiment().training().threads();
        double perSecond = summary.examplesPerSecond(); // examples / loop: the run's one definition
        double gflops = 6.0 * weights * perSecond / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("experiment", setup.experiment().name());
        r.put("threads", threads);
        r.put("parallel_share", parallelShare);
        r.put("epochs", epochs);
        r.put("examples", examples);
        r.put("training_loop_seconds", loop);
        r.put("examples_per_second", perSecond);
        r.put("epochs_per_second", epochs / loop);
        r.put("gflops", gflops);
        double machine =
                ceiling * threads * (network.precision() == io.backprop.runner.engine.Precision.FLOAT32 ? 2 : 1);
        r.put("share_of_ceiling", gflops / machine);
        r.put("epoch_seconds", summary.trainingSeconds());
        r.put("kernels", kernels);
        r.put("precision", network.precision().yamlName());
        r.put("arithmetic", network.arithmetic());
        r.put("train", summary.train() == null ? null : summary.train().toMap());
        r.put("test", summary.test() == null ? null : summary.test().toMap());
        if (phases != null) r.put("profile", ProfileTable.json(phases));
        (json ? stderr : stdout).println("kernels: " + kernels + ", " + network.arithmetic());
        if (json) {
            stdout.println(Json.line(r));
        } else {
            String share = threads == 1
                    ? ""
                    : String.format(
                            Locale.ROOT,
                            " (every thread in %.0f%% of the steps, the calling thread alone in the rest)",
                            100 * parallelShare);
            stdout.printf(
                    Locale.ROOT,
                    "%s on %d thread%s%s: %d examples in %.3f s of training steps: %,.0f examples/s, %,.0f epochs/s,"
                            + " %.2f GFLOP/s (%.1f%% of %.0f GFLOP/s); whole epochs with their evaluation: %,.0f epochs/s%n",
                    r.get("experiment"),
                    threads,
                    threads == 1 ? "" : "s",
                    share,
                    examples,
                    loop,
                    perSecond,
                    r.get("epochs_per_second"),
                    gflops,
                    100 * gflops / machine,
                    machine,
                    wholeEpochsPerSecond);
            if (phases != null) ProfileTable.lines(phases, threads).forEach(stdout::println);
        }
        return Main.OK;
    }

    /**
     * Trains {@code setup} into a scratch directory, deleted after, and returns the run's summary; with {@code
     * profile} (null for none), timing its phases.
     */
    private RunSummary train(Setup setup, Profile profile) throws IOException {
        Path runs = Files.createTempDirectory("runner-bench");
        try {
            Path run = ExperimentRun.execute(
                    setup,
                    runs,
                    new PrintStream(OutputStream.nullOutputStream()),
                    stderr,
                    Progress.Mode.QUIET,
                    new StopRequest(),
                    profile);
            return RunSummary.read(run.resolve("summary.json"));
        } finally {
            try (Stream<Path> paths = Files.walk(runs)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
