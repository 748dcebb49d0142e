package io.backprop.runner.plugin.table;

import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Gives text cells their meaning: picks the input columns, types each one (numeric when every non-missing cell is a
 * {@linkplain DecimalNumber plain decimal}, else categorical, unless the settings say), finds the missing cells, leaves
 * out rows that {@code drop_row} or {@code missing_label} say to, and encodes the labels. The result carries its
 * {@link Table}; imputing and one-hot encoding happen later, fitted on the training split alone. Problems name the
 * cell's file, line and column.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public final class Tables {
    private Tables() {}

    /**
     * The data set of {@code text}: every column but the label's (or those the settings select) as inputs. Labels are
     * classes (any text; sorted, numerically when every one is a number, or in the order of {@code knownClasses}
     * when that is not empty, a label outside it an error) or, for regression, numbers.
     */
    public static Dataset dataset(
            TextRows text, int labelColumn, boolean classification, List<String> knownClasses, TableSettings settings) {
        List<String> header = text.header();
        String labelName = header.get(labelColumn);
        checkNames(text, labelName, settings);
        List<Integer> inputs = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            boolean wanted = settings.features().isEmpty()
                    ? !settings.ignore().contains(name)
                    : settings.features().contains(name);
            if (c != labelColumn && wanted && !"ignore".equals(settings.types().get(name))) inputs.add(c);
        }
        if (inputs.isEmpty()) {
            throw new PluginException(text.source() + ": no input columns are left (label: " + labelName
                    + "); use fewer in ignore," + " or name some in features");
        }
        int all = text.rows().size();
        List<Table.Type> types = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> strategies = new ArrayList<>();
        boolean[] keep = new boolean[all];
        java.util.Arrays.fill(keep, true);
        for (int c : inputs) {
            StringBuilder note = new StringBuilder();
            Table.Type type = type(text, c, settings, note);
            types.add(type);
            notes.add(note.toString());
            String name = header.get(c);
            String strategy = settings.impute()
                    .getOrDefault(
                            name, type == Table.Type.NUMERIC ? settings.imputeNumeric() : settings.imputeCategorical());
            if (type == Table.Type.CATEGORICAL && !TableSettings.CATEGORICAL_STRATEGIES.contains(strategy)) {
                throw new PluginException(
                        text.source() + ": impute." + name + ": " + strategy + " needs numbers, and column " + name
                                + " is categorical; use most_frequent, constant or drop_row, or columns: {" + name
                                + ": numeric}");
            }
            strategies.add(strategy);
            if (strategy.equals(TableSettings.DROP_ROW)) {
                for (int r = 0; r < all; r++) if (settings.isMissing(text.text(r, c))) keep[r] = false;
            }
        }
        for (int r = 0; r < all; r++) {
            if (!settings.isMissing(text.text(r, labelColumn))) continue;
            if (!settings.dropMissingLabels()) {
                String cell = text.text(r, labelColumn);
                throw new PluginException(
                        text.place().at(r, labelColumn) + ": the label in column " + labelName + " is "
                                + (cell.isEmpty() ? "empty" : "missing ('" + cell + "')")
                                + "; every example needs a label (or set missing_label: drop_row to leave such rows out)");
            }
            keep[r] = false;
        }
        int[] kept =
                java.util.stream.IntStream.range(0, all).filter(r -> keep[r]).toArray();
        if (kept.length == 0)
            throw new PluginException(
                    text.source() + ": no examples are left once rows with missing values are left out");
        int rows = kept.length;
        int width = inputs.size();
        double[] x = new double[rows * width];
        List<Table.Column> columns = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            int c = inputs.get(i);
            String name = header.get(c);
            int missing = 0;
            List<String> levels = List.of();
            if (types.get(i) == Table.Type.NUMERIC) {
                for (int k = 0; k < rows; k++) {
                    String cell = text.text(kept[k], c);
                    boolean gap = settings.isMissing(cell);
                    missing += gap ? 1 : 0;
                    x[k * width + i] =
                            gap ? Double.NaN : number(cell, text.place().at(kept[k], c), name);
                }
            } else {
                var distinct = new TreeSet<String>();
                for (int r : kept) if (!settings.isMissing(text.text(r, c))) distinct.add(text.text(r, c));
                levels = List.copyOf(distinct);
                Map<String, Integer> index = new LinkedHashMap<>();
                for (String level : levels) index.put(level, index.size());
                for (int k = 0; k < rows; k++) {
                    String cell = text.text(kept[k], c);
                    boolean gap = settings.isMissing(cell);
                    missing += gap ? 1 : 0;
                    x[k * width + i] = gap ? Double.NaN : index.get(cell);
                }
            }
            String fill = fill(text, settings, name, types.get(i), strategies.get(i));
            columns.add(new Table.Column(name, types.get(i), levels, strategies.get(i), fill, missing, notes.get(i)));
        }
        int[] lines = new int[rows];
        for (int k = 0; k < rows; k++) lines[k] = text.lines()[kept[k]];
        List<String> leftOut = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) if (c != labelColumn && !inputs.contains(c)) leftOut.add(header.get(c));
        var table = new Table(text.source(), columns, lines, settings, all - rows, leftOut);
        List<String> names = columns.stream().map(Table.Column::name).toList();
        Dataset labelled = labels(text, kept, labelColumn, classification, knownClasses);
        return new Dataset(
                x,
                labelled.y(),
                rows,
                width,
                labelled.outputs(),
                labelled.task(),
                labelled.classes(),
                names,
                labelName,
                table);
    }

    /** Every column the settings name must be in the header, and none may be the label. */
    private static void checkNames(TextRows text, String label, TableSettings settings) {
        Map<String, java.util.Collection<String>> named = new LinkedHashMap<>();
        named.put("columns", settings.types().keySet());
        named.put("features", settings.features());
        named.put("ignore", settings.ignore());
        named.put("impute", settings.impute().keySet());
        named.put("fill_value", settings.fill().keySet());
        for (var e : named.entrySet()) {
            for (String name : e.getValue()) {
                if (name.equals(label)) {
                    throw new PluginException(e.getKey() + ": '" + name + "' is the label column; " + e.getKey()
                            + " names input columns (" + inputs(text.header(), label) + ")");
                }
                if (!text.header().contains(name)) {
                    throw new PluginException(e.getKey() + ": " + text.source() + " has no column '" + name + "'"
                            + nearest(name, text.header()) + " (columns: " + String.join(", ", text.header()) + ")");
                }
            }
        }
        if (!settings.features().isEmpty() && !settings.ignore().isEmpty()) {
            throw new PluginException(
                    "features and ignore are both given; name the inputs in features, or the columns to leave out in ignore");
        }
    }

    private static String inputs(List<String> header, String label) {
        return String.join(", ", header.stream().filter(h -> !h.equals(label)).toList());
    }

    private static String nearest(String typed, List<String> known) {
        return known.stream()
                .filter(k -> distance(typed.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT))
                        <= Math.max(1, k.length() / 3))
                .min(Comparator.comparingInt((String k) -> distance(typed, k)).thenComparing(k -> k))
                .map(k -> "; did you mean '" + k + "'?")
                .orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(
                        Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The column's type: as the settings say, else numeric when every non-missing cell is a number. */
    private static Table.Type type(TextRows text, int c, TableSettings settings, StringBuilder note) {
        String said = settings.types().get(text.header().get(c));
        if ("numeric".equals(said)) return Table.Type.NUMERIC;
        if ("categorical".equals(said)) return Table.Type.CATEGORICAL;
        int numbers = 0;
        int present = 0;
        int firstWord = -1;
        for (int r = 0; r < text.rows().size(); r++) {
            String cell = text.text(r, c);
            if (settings.isMissing(cell)) continue;
            present++;
            if (DecimalNumber.isPlain(cell)) numbers++;
            else if (firstWord < 0) firstWord = r;
        }
        if (present == 0) {
            note.append(
                    "every cell is missing, so it tells nothing: read as numeric, its gaps filled with 0 unless a constant is given;"
                            + " ignore it to leave it out");
            return Table.Type.NUMERIC;
        }
        if (firstWord < 0) return Table.Type.NUMERIC;
        if (2 * numbers >= present) {
            String name = text.header().get(c);
            note.append(numbers)
                    .append(" of ")
                    .append(present)
                    .append(" cells are numbers, but '")
                    .append(text.text(firstWord, c))
                    .append("' at ")
                    .append(text.place().at(firstWord, c))
                    .append(" is not: read as categorical; columns: {")
                    .append(name)
                    .append(": numeric} makes such a cell an error, or add it to missing");
        }
        return Table.Type.CATEGORICAL;
    }

    private static String fill(TextRows text, TableSettings settings, String name, Table.Type type, String strategy) {
        String given = settings.fill().get(name);
        if (given != null && !strategy.equals(TableSettings.CONSTANT)) {
            throw new PluginException("fill_value." + name + ": column " + name + " is filled by " + strategy
                    + ", not by a constant; add impute: {" + name + ": constant}, or leave fill_value out");
        }
        if (type == Table.Type.CATEGORICAL) return given == null ? TableSettings.MISSING_CATEGORY : given;
        if (given == null) return "0";
        if (!DecimalNumber.isFinite(given.strip())) {
            throw new PluginException("fill_value." + name + ": '" + given + "' is not a number, and column " + name
                    + " is numeric; expected a decimal number such as 0 or -1");
        }
        return given.strip();
    }

    private static double number(String text, String at, String column) {
        if (DecimalNumber.isFinite(text)) return Double.parseDouble(text);
        String what = DecimalNumber.isPlain(text)
                ? " is beyond the range of a double; expected a magnitude below 1.8e308"
                : " is not a number" + (text.isEmpty() ? " (the cell is empty)" : "")
                        + "; expected a decimal number such as 3, -2.5 or 1e-3";
        throw new PluginException(at + ": '" + text + "' in column " + column + what);
    }

    /** The labels of the rows {@code kept}, as a data set with a placeholder input. */
    private static Dataset labels(
            TextRows text, int[] kept, int labelColumn, boolean classification, List<String> known) {
        int rows = kept.length;
        String labelName = text.header().get(labelColumn);
        double[] none = new double[rows];
        if (!classification) {
            double[] y = new double[rows];
            for (int k = 0; k < rows; k++)
                y[k] = number(text.text(kept[k], labelColumn), text.place().at(kept[k], labelColumn), labelName);
            return new Dataset(none, y, rows, 1, 1, Dataset.Task.REGRESSION, List.of());
        }
        List<String> names = new ArrayList<>(rows);
        for (int r : kept) names.add(text.text(r, labelColumn));
        if (!known.isEmpty()) {
            double[] y = new double[rows * known.size()];
            for (int k = 0; k < rows; k++) {
                int index = known.indexOf(names.get(k));
                if (index < 0) {
                    throw new PluginException(text.place().at(kept[k], labelColumn) + ": label '" + names.get(k)
                            + "' is not one of the trained classes (" + String.join(", ", known) + ")");
                }
                y[k * known.size() + index] = 1;
            }
            return new Dataset(none, y, rows, 1, known.size(), Dataset.Task.CLASSIFICATION, known);
        }
        Map<String, Integer> classes = classes(names);
        if (classes.size() < 2) {
            throw new PluginException(text.source() + ": the label column " + labelName
                    + " holds one class only; classification needs two or more");
        }
        double[] y = new double[rows * classes.size()];
        for (int k = 0; k < rows; k++) y[k * classes.size() + classes.get(names.get(k))] = 1;
        return new Dataset(
                none, y, rows, 1, classes.size(), Dataset.Task.CLASSIFICATION, List.copyOf(classes.keySet()));
    }

    /** Class names to output index, sorted: numerically when every label is a number, else as text. */
    private static Map<String, Integer> classes(List<String> labels) {
        boolean numeric = labels.stream().allMatch(DecimalNumber::isFinite);
        Comparator<String> order =
                numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder();
        Map<String, Integer> classes = new TreeMap<>(order);
        labels.forEach(l -> classes.put(l, 0));
        int k = 0;
        for (var e : classes.entrySet()) e.setValue(k++);
        return classes;
    }
}
