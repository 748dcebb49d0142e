package io.backprop.runner.cli;

import io.backprop.runner.engine.GradientCheck;
import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.Precision;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.setup.Setup;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "gradcheck",
        mixinStandardHelpOptions = true,
        description = "Check the experiment's own network's backprop gradients against central differences on a few"
                + " training examples; exit 0 when every layer passes, 3 when one does not.")
final class GradcheckCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "FILE", description = "The experiment file.")
    String file;

    @Option(
            names = "--examples",
            paramLabel = "N",
            description = "Training examples in the batch checked (default ${DEFAULT-VALUE}).")
    int examples = 4;

    @Mixin
    ExperimentOptions experiment = new ExperimentOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    GradcheckCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() {
        Setup setup = experiment.load(file, stderr);
        Network network = setup.network();
        // Central differences with h = 1e-5 need float64's digits: a float32 experiment's derivatives, the same
        // code as float64's, are checked in float64.
        Precision trained = network.precision();
        network.usePrecision(Precision.FLOAT64);
        Cost cost = setup.costFor(network); // a fused output delta, where there is one, is checked as training uses it
        Dataset train = setup.train();
        int rows = Math.max(1, Math.min(Math.min(examples, network.maxBatch()), train.rows()));
        double[] x = java.util.Arrays.copyOf(train.x(), rows * train.inputs());
        double[] y = java.util.Arrays.copyOf(train.y(), rows * train.outputs());
        double l2 = setup.experiment().training().l2();
        int threads = setup.experiment().training().threads();
        long parameters = network.parameters();
        String weights = setup.classWeights() == null
                ? ""
                : ", class weights " + setup.classWeights().describe();
        stdout.printf(
                Locale.ROOT,
                "gradcheck %s: %,d %s x %d training %s, l2 %s%s%s, 2 forward passes each on %d %s; central"
                        + " differences with h = %s; a gradient passes below a relative error of %s or a difference of %s%n",
                setup.experiment().name(),
                parameters,
                plural(parameters, "parameter"),
                rows,
                plural(rows, "example"),
                l2,
                weights,
                trained == Precision.FLOAT64
                        ? ""
                        : ", in float64 (the experiment trains in " + trained.yamlName() + ")",
                threads,
                plural(threads, "thread"),
                GradientCheck.H,
                GradientCheck.MAX_RELATIVE_ERROR,
                GradientCheck.ABSOLUTE_FLOOR);
        stdout.flush();
        var progress = new CheckProgress(stderr, parameters, System.console() != null);
        var results =
                GradientCheck.byLayer(network, cost, x, y, rows, l2, threads, () -> setup.replica(network), progress);
        progress.finish();
        boolean passed = true;
        for (int l = 0; l < results.length; l++) {
            List<String> slots = new ArrayList<>();
            GradientCheck.Result worst = null;
            for (int s = 0; s < results[l].length; s++) {
                var r = results[l][s];
                slots.add(network.slots(l).get(s).name() + " " + figures(r));
                if (!r.passed() && (worst == null || r.worstRelativeError() > worst.worstRelativeError())) worst = r;
            }
            passed &= worst == null;
            stdout.printf(
                    Locale.ROOT,
                    "layer %d (%d -> %d %s): %s: %s%n",
                    l,
                    network.fanIn(l),
                    network.units(l),
                    setup.activations().get(l).ref().name(),
                    slots.isEmpty() ? "no parameters" : String.join("; ", slots),
                    worst == null ? "ok" : "FAILED, worst " + worst.failure());
        }
        stdout.println(passed ? "passed" : "failed");
        return passed ? Main.OK : Main.RUN_FAILED;
    }

    private static String figures(GradientCheck.Result r) {
        String relative = r.worstRelativeError() == 0
                ? "every difference below " + GradientCheck.ABSOLUTE_FLOOR
                : String.format(Locale.ROOT, "max relative error %.3g", r.worstRelativeError());
        return String.format(
                Locale.ROOT,
                "%s, max difference %.3g (%,d %s)",
                relative,
                r.maxDifference(),
                r.checked(),
                plural(r.checked(), "gradient"));
    }

    private static String plural(long n, String word) {
        return n == 1 ? word : word + "s";
    }

    /**
     * How far the check is, on standard error: on a terminal one line rewritten twice a second; into a pipe, a line
     * every tenth of the way. Checks done within two seconds show nothing.
     */
    private static final class CheckProgress implements LongConsumer {
        private final PrintStream out;
        private final long total;
        private final boolean live;
        private final long started = System.nanoTime();
        private long lastShown = started;
        private long lastTenth;
        private boolean shown;

        CheckProgress(PrintStream out, long total, boolean live) {
            this.out = out;
            this.total = total;
            this.live = live;
        }

        @Override
        public synchronized void accept(long done) {
            long now = System.nanoTime();
            if (now - started < 2_000_000_000L) return;
            long tenth = done * 10 / total;
            if (live ? now - lastShown < 500_000_000L : tenth == lastTenth) return;
            lastShown = now;
            lastTenth = tenth;
            double elapsed = (now - started) / 1e9;
            long eta = Math.round(elapsed / done * (total - done));
            out.printf(
                    Locale.ROOT,
                    "%schecked %,d of %,d parameters (%d%%), %.0f s, ETA %d:%02d%s",
                    live ? "\r" : "",
                    done,
                    total,
                    done * 100 / total,
                    elapsed,
                    eta / 60,
                    eta % 60,
                    live ? " " : System.lineSeparator());
            out.flush();
            shown = true;
        }

        synchronized void finish() {
            if (live && shown) out.println();
        }
    }
}
