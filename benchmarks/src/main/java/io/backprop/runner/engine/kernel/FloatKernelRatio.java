package io.backprop.runner.engine.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * How fast the float Java kernels run against the double ones at the work items' shapes: {@link
 * FloatKernelBenchmark}, the three kernels of a layer and product measured one after the other, in {@code rounds}
 * rounds, then per product and per work item (its layers' products as one training step runs them, as {@link
 * KernelRatio} sums them) the speed of each float kernel as a multiple of the double one, {@code double time / float
 * time}: the median over the rounds and its range. From the project root: {@code java -cp
 * benchmarks/target/benchmarks.jar io.backprop.runner.engine.kernel.FloatKernelRatio [rounds [layer,...]]}.
 */
public final class FloatKernelRatio {
    private static final String[] PRODUCTS = {"forward", "weightGradient", "inputGradient"};
    private static final String[] FLOATS = {"fused", "unfused"};

    private FloatKernelRatio() {}

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String[] layers = args.length > 1 ? args[1].split(",") : new String[] {"w2:0", "w2:1", "w3:0", "w3:1", "w3:2"};
        // ratios.get(name) holds one ratio per round; name is "w2:0 forward fused" or "w2 fused" for a whole step.
        Map<String, List<Double>> ratios = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            Map<String, Double> micros = KernelRatio.micros(
                    new OptionsBuilder()
                            .include(FloatKernelBenchmark.class.getName() + "\\.(" + String.join("|", PRODUCTS) + ")$")
                            .param("layer", layers)
                            .param("variant", "double", "fused", "unfused"),
                    "variant");
            // item + " " + kernel -> microseconds summed over its layers and products
            Map<String, Double> items = new HashMap<>();
            for (String layer : layers) {
                String item = layer.substring(0, layer.indexOf(':'));
                for (String method : PRODUCTS) {
                    double dbl = micros.get(layer + " " + method + " double");
                    boolean trained = !(layer.endsWith(":0") && method.equals("inputGradient"));
                    if (trained) items.merge(item + " double", dbl, Double::sum);
                    for (String kernel : FLOATS) {
                        double flt = micros.get(layer + " " + method + " " + kernel);
                        ratios.computeIfAbsent(layer + " " + method + " " + kernel, k -> new ArrayList<>())
                                .add(dbl / flt);
                        if (trained) items.merge(item + " " + kernel, flt, Double::sum);
                    }
                }
            }
            for (String item : new java.util.TreeSet<>(items.keySet())) {
                if (item.endsWith(" double")) continue;
                String dbl = item.substring(0, item.indexOf(' ')) + " double";
                ratios.computeIfAbsent(item, k -> new ArrayList<>()).add(items.get(dbl) / items.get(item));
            }
        }
        KernelRatio.print(
                "Float Java kernels' speed as a multiple of the double ones (double us / float us), one thread, "
                        + rounds + " rounds",
                ratios);
    }
}
