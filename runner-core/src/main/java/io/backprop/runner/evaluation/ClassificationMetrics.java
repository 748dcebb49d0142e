package io.backprop.runner.evaluation;

import io.backprop.runner.plugin.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Classification metrics of a model's outputs, with scikit-learn's conventions. The true class of a row is its
 * target's ({@link Dataset#labelOf}), the predicted class the largest output's, or for a single sigmoid output
 * whether it is above 0.5: the second class is the positive one, scored by the output p, the first by 1 - p (ranked
 * as -p, so that no two outputs tie by rounding). Undefined values are null: precision of a class never predicted,
 * recall of a class absent from the labels, F1 of a class neither predicted nor present, an AUC without positives or
 * negatives, an average precision without positives. Averages over classes take the classes whose value is defined.
 */
public final class ClassificationMetrics {
    /** Probabilities are kept this far from 0 and 1 in the log loss, as scikit-learn 1.2's {@code log_loss} keeps them. */
    public static final double EPSILON = 1e-15;

    private ClassificationMetrics() {}

    /** One class's figures; {@code support} is how many rows are of the class. */
    public record PerClass(
            String name,
            Double precision,
            Double recall,
            Double f1,
            long support,
            Double rocAuc,
            Double averagePrecision) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", name);
            m.put("precision", precision);
            m.put("recall", recall);
            m.put("f1", f1);
            m.put("support", support);
            m.put("roc_auc", rocAuc);
            m.put("average_precision", averagePrecision);
            return m;
        }
    }

    /**
     * A data set's figures. {@code rocAuc} and {@code averagePrecision}: for two classes the positive (second) class's,
     * for more the mean over the classes one-vs-rest. {@code confusion[t][p]}: rows of true class t predicted p.
     */
    public record Result(
            int examples,
            Double logLoss,
            Double balancedAccuracy,
            Double macroF1,
            Double weightedF1,
            Double rocAuc,
            Double averagePrecision,
            List<String> classes,
            long[][] confusion,
            List<PerClass> perClass) {
        public Result {
            classes = List.copyOf(classes);
            perClass = List.copyOf(perClass);
            Objects.requireNonNull(confusion, "confusion is null");
        }

        /** The keys of summary.json and {@code evaluate --json}, in their order. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("examples", examples);
            m.put("log_loss", logLoss);
            m.put("balanced_accuracy", balancedAccuracy);
            m.put("macro_f1", macroF1);
            m.put("weighted_f1", weightedF1);
            m.put("roc_auc", rocAuc);
            m.put("average_precision", averagePrecision);
            m.put("classes", classes);
            List<List<Long>> matrix = new ArrayList<>();
            for (long[] row : confusion)
                matrix.add(java.util.Arrays.stream(row).boxed().toList());
            m.put("confusion_matrix", matrix);
            m.put("per_class", perClass.stream().map(PerClass::toMap).toList());
            return m;
        }
    }

    /**
     * The figures of {@code outputs} against {@code targets}, both {@code rows x cols} row-major as the data set holds
     * them (one-hot over {@code classes}, or one 0/1 column for two classes).
     */
    public static Result of(double[] outputs, double[] targets, int rows, int cols, List<String> classes) {
        int k = classes.size();
        if (cols == 1 ? k != 2 : k != cols) {
            throw new IllegalArgumentException(k + " classes for " + cols + " outputs");
        }
        if (outputs.length < rows * cols || targets.length < rows * cols) {
            throw new IllegalArgumentException("outputs of " + outputs.length + " and targets of " + targets.length
                    + " for " + rows + " x " + cols);
        }
        int[] truth = new int[rows];
        long[][] confusion = new long[k][k];
        double logLossSum = 0;
        for (int r = 0; r < rows; r++) {
            truth[r] = Dataset.labelOf(targets, r, cols);
            confusion[truth[r]][Dataset.labelOf(outputs, r, cols)]++;
            logLossSum -= Math.log(probabilityOfTruth(outputs, r, cols, truth[r]));
        }
        List<PerClass> perClass = new ArrayList<>();
        double[] scores = new double[rows];
        boolean[] positive = new boolean[rows];
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long support = 0;
            long predicted = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predicted += confusion[j][c];
            }
            long fp = predicted - tp;
            long fn = support - tp;
            for (int r = 0; r < rows; r++) {
                scores[r] = score(outputs, r, cols, c);
                positive[r] = truth[r] == c;
            }
            perClass.add(new PerClass(
                    classes.get(c),
                    ratio(tp, predicted),
                    ratio(tp, support),
                    ratio(2 * tp, 2 * tp + fp + fn),
                    support,
                    defined(Ranking.rocAuc(scores, positive)),
                    defined(Ranking.averagePrecision(scores, positive))));
        }
        double weightedSum = 0;
        for (PerClass p : perClass) if (p.support() > 0) weightedSum += p.f1() * p.support();
        PerClass positiveClass = k == 2 ? perClass.get(1) : null;
        return new Result(
                rows,
                rows == 0 ? null : logLossSum / rows,
                mean(perClass.stream().map(PerClass::recall).toList()),
                mean(perClass.stream().map(PerClass::f1).toList()),
                rows == 0 ? null : weightedSum / rows,
                positiveClass != null
                        ? positiveClass.rocAuc()
                        : mean(perClass.stream().map(PerClass::rocAuc).toList()),
                positiveClass != null
                        ? positiveClass.averagePrecision()
                        : mean(perClass.stream().map(PerClass::averagePrecision).toList()),
                classes,
                confusion,
                perClass);
    }

    /** The output's probability of the row's true class, kept within [EPSILON, 1 - EPSILON]. */
    private static double probabilityOfTruth(double[] outputs, int row, int cols, int truth) {
        if (cols == 1) {
            double p = clip(outputs[row]);
            return truth == 1 ? p : 1 - p;
        }
        return clip(outputs[row * cols + truth]);
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, EPSILON), 1 - EPSILON);
    }

    /** How class {@code c} is ranked in row {@code row}: its output; for a single output, p for class 1 and -p for class 0. */
    private static double score(double[] outputs, int row, int cols, int c) {
        if (cols == 1) return c == 1 ? outputs[row] : -outputs[row];
        return outputs[row * cols + c];
    }

    private static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    private static Double defined(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** The mean of the values that are not null; null when none is. */
    static Double mean(List<Double> values) {
        double sum = 0;
        int n = 0;
        for (Double v : values) {
            if (v != null) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }
}
