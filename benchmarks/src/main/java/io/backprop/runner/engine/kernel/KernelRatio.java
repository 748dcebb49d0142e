package io.backprop.runner.engine.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How fast the Java kernels run against the native ones at the work items' shapes: {@link ProductsBenchmark} on one
 * thread, both kernels of a layer and product measured one after the other, in {@code rounds} rounds, then per
 * product and per work item (the sum of its layers' products as one training step runs them: all three, but no input
 * gradient for the first layer) the speed of
 * Java as a fraction of native, {@code native time / java time}: the median over the rounds and its range. From the
 * project root: {@code java -cp benchmarks/target/benchmarks.jar io.backprop.runner.engine.kernel.KernelRatio
 * [rounds [layer,...]]}.
 */
public final class KernelRatio {
    private static final String[] PRODUCTS = {"forward", "weightGradient", "inputGradient"};

    private KernelRatio() {}

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String[] layers = args.length > 1 ? args[1].split(",") : new String[] {"w2:0", "w2:1", "w3:0", "w3:1", "w3:2"};
        // ratios.get(name) holds one ratio per round; name is "w2:0 forward" or "w2" for a work item's whole step.
        Map<String, List<Double>> ratios = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            Map<String, Double> micros = micros(
                    new OptionsBuilder()
                            .include(ProductsBenchmark.class.getName() + "\\.(" + String.join("|", PRODUCTS) + ")$")
                            .param("layer", layers)
                            .param("kernels", "native", "java")
                            .param("threads", "1"),
                    "kernels");
            Map<String, double[]> items = new HashMap<>(); // item -> {native, java} summed over its layers and products
            for (String layer : layers) {
                for (String method : PRODUCTS) {
                    double nat = micros.get(layer + " " + method + " native");
                    double java = micros.get(layer + " " + method + " java");
                    ratios.computeIfAbsent(layer + " " + method, k -> new ArrayList<>())
                            .add(nat / java);
                    if (layer.endsWith(":0") && method.equals("inputGradient")) continue; // training never runs it
                    double[] sums = items.computeIfAbsent(layer.substring(0, layer.indexOf(':')), k -> new double[2]);
                    sums[0] += nat;
                    sums[1] += java;
                }
            }
            items.forEach((item, sums) ->
                    ratios.computeIfAbsent(item, k -> new ArrayList<>()).add(sums[0] / sums[1]));
        }
        print("Java speed as a fraction of native (native us / java us), one thread, " + rounds + " rounds", ratios);
    }

    /**
     * Runs {@code options} (a benchmark and its parameters; the warm-up and measurement are set here, the same for
     * every ratio) and returns each score in microseconds by {@code "<layer> <method> <value of variant>"}.
     */
    static Map<String, Double> micros(ChainedOptionsBuilder options, String variant) throws RunnerException {
        Options built = options.warmupIterations(3)
                .warmupTime(TimeValue.milliseconds(500))
                .measurementIterations(4)
                .measurementTime(TimeValue.milliseconds(500))
                .forks(1)
                .build();
        Map<String, Double> micros = new HashMap<>();
        for (RunResult result : new Runner(built).run()) {
            var params = result.getParams();
            String method =
                    params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            micros.put(
                    params.getParam("layer") + " " + method + " " + params.getParam(variant),
                    result.getPrimaryResult().getScore());
        }
        return micros;
    }

    /** {@code title: median [min-max]}, then for each name the median of its ratios and their range. */
    static void print(String title, Map<String, List<Double>> ratios) {
        System.out.println();
        System.out.println(title + ": median [min-max]");
        int width = ratios.keySet().stream().mapToInt(String::length).max().orElse(0);
        ratios.forEach((name, values) -> {
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(null);
            double median = sorted.size() % 2 == 1
                    ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            System.out.println(String.format(
                    Locale.ROOT,
                    "%-" + width + "s %.2fx [%.2f-%.2f]",
                    name,
                    median,
                    sorted.get(0),
                    sorted.get(sorted.size() - 1)));
        });
    }
}
