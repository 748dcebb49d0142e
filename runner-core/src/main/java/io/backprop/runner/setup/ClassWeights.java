package io.backprop.runner.setup;

import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.Scalar;
import io.backprop.runner.spec.Suggestions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A weight per class, in the order of the data's classes, from {@code class_weights}: {@code balanced}, scikit-learn's
 * {@code n_samples / (n_classes * count_c)} counted on the training split (over the classes it holds; one it lacks
 * weighs 1, which no example carries), or a mapping of class names to numbers at least 0 (classes not named weigh 1).
 */
public record ClassWeights(List<String> classes, double[] weights) {
    public ClassWeights {
        classes = List.copyOf(classes);
        weights = weights.clone();
        if (classes.size() != weights.length)
            throw new IllegalArgumentException(weights.length + " weights for " + classes.size() + " classes");
    }

    /** The weights by class name, in class order. */
    public Map<String, Double> byName() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < weights.length; c++) m.put(classes.get(c), weights[c]);
        return m;
    }

    /** What {@code spec} says for {@code train}'s classes; null, with the problems added, when it says something wrong. */
    static ClassWeights resolve(Scalar spec, Dataset train, Problems problems) {
        List<String> classes = train.classes();
        double[] weights = new double[classes.size()];
        java.util.Arrays.fill(weights, 1);
        if (spec.type() == Scalar.Type.STRING && spec.text().equals("balanced")) {
            long[] counts = new long[classes.size()];
            for (int r = 0; r < train.rows(); r++) counts[train.label(r)]++;
            long present = java.util.Arrays.stream(counts).filter(n -> n > 0).count();
            for (int c = 0; c < counts.length; c++) {
                if (counts[c] > 0) weights[c] = train.rows() / ((double) present * counts[c]);
            }
            return new ClassWeights(classes, weights);
        }
        if (spec.type() != Scalar.Type.MAP) {
            String hint = spec.type() == Scalar.Type.STRING
                    ? Suggestions.didYouMean(Suggestions.closest(spec.text(), List.of("balanced")))
                    : "";
            problems.add(
                    spec.where(),
                    "expected balanced or a mapping of class names to weights ({" + classes.get(0) + ": 2.0}), got "
                            + spec.describe() + hint);
            return null;
        }
        boolean ok = true;
        for (int i = 0; i < spec.keys().size(); i++) {
            String name = spec.keys().get(i);
            Scalar value = spec.items().get(i);
            int c = classes.indexOf(name);
            if (c < 0) {
                problems.add(
                        value.where(),
                        "unknown class '" + name + "'" + Suggestions.didYouMean(Suggestions.closest(name, classes))
                                + " (classes: " + String.join(", ", classes) + ")");
                ok = false;
                continue;
            }
            double w = value.type() == Scalar.Type.INTEGER || value.type() == Scalar.Type.FLOAT
                    ? parse(value)
                    : Double.NaN;
            if (!(w >= 0) || Double.isInfinite(w)) {
                problems.add(value.where(), "expected a weight, a number >= 0, got " + value.describe());
                ok = false;
                continue;
            }
            weights[c] = w;
        }
        return ok ? new ClassWeights(classes, weights) : null;
    }

    private static double parse(Scalar value) {
        try {
            return value.asDouble("a number");
        } catch (io.backprop.runner.spec.SpecException e) {
            return Double.NaN;
        }
    }

    /** How the weights read in a line: {@code {setosa: 1, versicolor: 2.5}}. */
    public String describe() {
        var s = new StringBuilder("{");
        for (int c = 0; c < weights.length; c++) {
            if (c > 0) s.append(", ");
            s.append(classes.get(c))
                    .append(": ")
                    .append(
                            weights[c] == Math.rint(weights[c]) && Math.abs(weights[c]) < 1e15
                                    ? Long.toString((long) weights[c])
                                    : Double.toString(weights[c]));
        }
        return s.append('}').toString();
    }
}
