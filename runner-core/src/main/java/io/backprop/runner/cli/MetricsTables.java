package io.backprop.runner.cli;

import io.backprop.runner.evaluation.ClassificationMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Classification figures as a person reads them: a line of averages, a table per class, the confusion matrix. */
final class MetricsTables {
    private MetricsTables() {}

    /** {@code value} to {@code digits} significant digits; "-" for a value that is undefined. */
    static String number(Double value, int digits) {
        return value == null ? "-" : Precision.format(value, digits);
    }

    static String classification(ClassificationMetrics.Result r, int digits) {
        var s = new StringBuilder();
        boolean binary = r.classes().size() == 2;
        String of = binary ? " (" + r.classes().get(1) + ")" : " (macro)";
        s.append(String.format(
                Locale.ROOT,
                "log loss %s, balanced accuracy %s, macro F1 %s, weighted F1 %s, ROC AUC%s %s,"
                        + " average precision%s %s%n",
                number(r.logLoss(), digits),
                number(r.balancedAccuracy(), digits),
                number(r.macroF1(), digits),
                number(r.weightedF1(), digits),
                of,
                number(r.rocAuc(), digits),
                of,
                number(r.averagePrecision(), digits)));
        s.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"class", "precision", "recall", "f1", "support", "roc_auc", "average_precision"});
        for (var c : r.perClass()) {
            rows.add(new String[] {
                c.name(),
                number(c.precision(), digits),
                number(c.recall(), digits),
                number(c.f1(), digits),
                Long.toString(c.support()),
                number(c.rocAuc(), digits),
                number(c.averagePrecision(), digits)
            });
        }
        table(s, rows);
        s.append('\n')
                .append("confusion matrix (rows: true class, columns: predicted)")
                .append('\n');
        rows.clear();
        List<String> header = new ArrayList<>(List.of(""));
        header.addAll(r.classes());
        rows.add(header.toArray(String[]::new));
        for (int t = 0; t < r.classes().size(); t++) {
            String[] row = new String[r.classes().size() + 1];
            row[0] = r.classes().get(t);
            for (int p = 0; p < r.classes().size(); p++) row[p + 1] = Long.toString(r.confusion()[t][p]);
            rows.add(row);
        }
        table(s, rows);
        return s.toString();
    }

    /** Columns two spaces apart: the first (names) left-aligned, the others right-aligned. */
    private static void table(StringBuilder s, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int j = 0; j < row.length; j++)
                widths[j] = Math.max(widths[j], row[j].codePointCount(0, row[j].length()));
        }
        for (String[] row : rows) {
            var line = new StringBuilder();
            for (int j = 0; j < row.length; j++) {
                String pad = " ".repeat(widths[j] - row[j].codePointCount(0, row[j].length()));
                if (j > 0) line.append("  ");
                line.append(j == 0 ? row[j] + pad : pad + row[j]);
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
