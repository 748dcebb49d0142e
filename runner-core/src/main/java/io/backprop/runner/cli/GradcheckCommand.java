package io.backprop.runner.cli;

import io.backprop.runner.engine.GradientCheck;
import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.Setup;
import io.backprop.runner.plugin.Dataset;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check the experiment's own network's backprop gradients against central differences on a few"
                + " training examples; exit 0 when every layer passes, 3 when one does not.")
final class GradcheckCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "FILE", description = "The experiment file.")
    String file;

    @Option(names = "--examples", paramLabel = "N", description = "Training examples in the batch checked (default ${DEFAULT-VALUE}).")
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
        setup.trainer(network); // the cost's fused output delta, where there is one, is checked as training uses it
        Dataset train = setup.train();
        int rows = Math.max(1, Math.min(Math.min(examples, network.maxBatch()), train.rows()));
        double[] x = java.util.Arrays.copyOf(train.x(), rows * train.inputs());
        double[] y = java.util.Arrays.copyOf(train.y(), rows * train.outputs());
        double l2 = setup.experiment().training().l2();
        var results = GradientCheck.byLayer(network, setup.cost().create(), x, y, rows, l2);
        stdout.printf(Locale.ROOT, "gradcheck %s: %d training examples, l2 %s, central differences with h = %s; a layer passes"
                + " below a relative error of %s%n", setup.experiment().name(), rows, l2, GradientCheck.H, GradientCheck.MAX_RELATIVE_ERROR);
        boolean passed = true;
        for (int l = 0; l < results.length; l++) {
            var w = results[l][0];
            var b = results[l][1];
            boolean ok = w.passed() && b.passed();
            passed &= ok;
            stdout.printf(Locale.ROOT, "layer %d (%d -> %d %s): weights %s, biases %s: %s%n", l,
                    network.fanIn(l), network.units(l), setup.activations().get(l).ref().name(),
                    worst(w), worst(b), ok ? "ok" : "FAILED, " + (w.passed() ? b : w).failure());
        }
        stdout.println(passed ? "passed" : "failed");
        return passed ? Main.OK : Main.RUN_FAILED;
    }

    private static String worst(GradientCheck.Result r) {
        return r.worstRelativeError() == 0
                ? "every difference below " + GradientCheck.ABSOLUTE_FLOOR + " (" + r.checked() + " gradients)"
                : String.format(Locale.ROOT, "max relative error %.3g (%d gradients)", r.worstRelativeError(), r.checked());
    }
}
