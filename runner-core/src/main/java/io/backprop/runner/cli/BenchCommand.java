package io.backprop.runner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.engine.Setup;
import io.backprop.runner.run.ExperimentRun;
import io.backprop.runner.run.Json;
import io.backprop.runner.run.Progress;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Train an experiment and print its training throughput: examples/s of the training steps alone"
                + " (as the peer benchmarks count them), GFLOP/s at 6 flops per weight and example, and the share of a ceiling.")
final class BenchCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "FILE", description = "The experiment file.")
    String file;

    @Option(names = "--ceiling", paramLabel = "GFLOPS",
            description = "The machine's measured float64 GEMM GFLOP/s per thread (default ${DEFAULT-VALUE}: OpenBLAS on this kind of machine).")
    double ceiling = 80;

    @Option(names = "--json", description = "Print one JSON line.")
    boolean json;

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
        Setup setup = experiment.load(file, stderr);
        Path runs = Files.createTempDirectory("runner-bench");
        Path run = ExperimentRun.execute(setup, runs, new PrintStream(OutputStream.nullOutputStream()), stderr, Progress.Mode.QUIET);
        var summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        long weights = 0;
        var network = setup.network();
        for (int l = 0; l < network.layers(); l++) weights += network.weights(l).length;
        double loop = summary.path("training_loop_seconds").doubleValue();
        long examples = summary.path("examples").longValue();
        int threads = setup.experiment().training().threads();
        double perSecond = examples / loop;
        double gflops = 6.0 * weights * perSecond / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("experiment", setup.experiment().name());
        r.put("threads", threads);
        r.put("epochs", summary.path("epochs").intValue());
        r.put("examples", examples);
        r.put("training_loop_seconds", loop);
        r.put("examples_per_second", perSecond);
        r.put("epochs_per_second", summary.path("epochs").intValue() / loop);
        r.put("gflops", gflops);
        r.put("share_of_ceiling", gflops / (ceiling * threads));
        r.put("train", Json.line(summary.path("train")));
        r.put("test", Json.line(summary.path("test")));
        if (json) {
            stdout.println(Json.line(r));
        } else {
            stdout.printf(Locale.ROOT, "%s on %d thread%s: %d examples in %.3f s of training steps: %,.0f examples/s, %,.0f epochs/s,"
                    + " %.2f GFLOP/s (%.1f%% of %.0f GFLOP/s)%n", r.get("experiment"), threads, threads == 1 ? "" : "s", examples, loop,
                    perSecond, r.get("epochs_per_second"), gflops, 100 * gflops / (ceiling * threads), ceiling * threads);
        }
        return Main.OK;
    }
}
