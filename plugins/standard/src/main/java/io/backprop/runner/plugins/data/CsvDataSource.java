package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a CSV file: a header row naming the columns, then one example per row. Every column but the label is an
 * input and must hold {@linkplain DecimalNumber plain decimals}. Classification labels may be any text but empty;
 * classes are sorted (numerically where every label is a number) and become one-hot outputs; classes the context
 * already knows are taken in its order instead. Splitting the file into cells is {@link CsvTableReader}'s; this class
 * gives the cells their meaning. Problems name the file, line and column.
 */
final class CsvDataSource implements DataSource {
    private final String path;
    private final String label;
    private final boolean classification;
    private final char separator;

    CsvDataSource(String path, String label, boolean classification, char separator) {
        this.path = path;
        this.label = label;
        this.classification = classification;
        this.separator = separator;
    }

    @Override
    public Dataset load(DataContext context) {
        CsvTable table = CsvTableReader.read(context.directory().resolve(path), path, separator);
        if (table.header().isEmpty()) throw new PluginException(path + " is empty; it needs a header row and examples");
        List<String> header = columnNames(table.header());
        int labelColumn = label.isEmpty() ? header.size() - 1 : header.indexOf(label);
        if (labelColumn < 0) {
            throw new PluginException(path + " has no column named '" + label + "' (columns: " + String.join(", ", header) + ")");
        }
        if (header.size() < 2) throw new PluginException(path + ":" + table.header().get(0).line() + ": the header names "
                + header.size() + " column; it needs inputs and a label");
        if (table.rows().isEmpty()) throw new PluginException(path + " has a header but no examples");
        int rows = table.rows().size();
        int width = header.size() - 1;
        double[] x = inputs(table.rows(), header, labelColumn);
        List<CsvCell> labels = table.rows().stream().map(r -> r.cells().get(labelColumn)).toList();
        String labelName = header.get(labelColumn);
        if (!classification) {
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) y[r] = number(labels.get(r), labelName);
            return new Dataset(x, y, rows, width, 1, Dataset.Task.REGRESSION, List.of())
                    .withNames(inputNames(header, labelColumn), labelName);
        }
        if (!context.classes().isEmpty()) {
            return overKnownClasses(x, rows, width, labels, labelName, context.classes())
                    .withNames(inputNames(header, labelColumn), labelName);
        }
        List<String> names = classNames(labels, labelName);
        Map<String, Integer> classes = classes(names);
        if (classes.size() < 2) throw new PluginException(path + ": the label column " + labelName
                + " holds one class only; classification needs two or more");
        double[] y = new double[rows * classes.size()];
        for (int r = 0; r < rows; r++) y[r * classes.size() + classes.get(names.get(r))] = 1;
        return new Dataset(x, y, rows, width, classes.size(), Dataset.Task.CLASSIFICATION, List.copyOf(classes.keySet()))
                .withNames(inputNames(header, labelColumn), labelName);
    }

    /** Labels one-hot over classes known beforehand, in their order; any number of them may be present. */
    private Dataset overKnownClasses(double[] x, int rows, int width, List<CsvCell> labels, String labelName, List<String> known) {
        List<String> names = classNames(labels, labelName);
        double[] y = new double[rows * known.size()];
        for (int r = 0; r < rows; r++) {
            int k = known.indexOf(names.get(r));
            if (k < 0) {
                throw new PluginException(labels.get(r).at(path) + ": label '" + names.get(r)
                        + "' is not one of the trained classes (" + String.join(", ", known) + ")");
            }
            y[r * known.size() + k] = 1;
        }
        return new Dataset(x, y, rows, width, known.size(), Dataset.Task.CLASSIFICATION, known);
    }

    private static List<String> inputNames(List<String> header, int labelColumn) {
        List<String> names = new ArrayList<>(header);
        names.remove(labelColumn);
        return names;
    }

    /** The header's names; an empty or repeated one is an error, as no column could be told by it. */
    private List<String> columnNames(List<CsvCell> header) {
        List<String> names = new ArrayList<>();
        for (CsvCell cell : header) {
            String name = cell.text().strip();
            if (name.isEmpty()) {
                throw new PluginException(cell.at(path) + ": the header's cell " + (names.size() + 1) + " is empty; name every column");
            }
            int earlier = names.indexOf(name);
            if (earlier >= 0) {
                throw new PluginException(cell.at(path) + ": the header's cells " + (earlier + 1) + " and " + (names.size() + 1)
                        + " are both named '" + name + "'; give every column its own name");
            }
            names.add(name);
        }
        return names;
    }

    /** Every column but the label's, as numbers: a {@code rows x (columns - 1)} row-major matrix. */
    private double[] inputs(List<CsvTable.Row> rows, List<String> header, int labelColumn) {
        int width = header.size() - 1;
        double[] x = new double[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            List<CsvCell> cells = rows.get(r).cells();
            if (cells.size() != header.size()) {
                throw new PluginException(path + ":" + rows.get(r).line() + ": the row has " + cells.size()
                        + (cells.size() == 1 ? " cell" : " cells") + "; the header has " + header.size());
            }
            for (int c = 0, j = r * width; c < cells.size(); c++) {
                if (c != labelColumn) x[j++] = number(cells.get(c), header.get(c));
            }
        }
        return x;
    }

    /** The class names of the label cells; an empty one is an error, not a class of its own. */
    private List<String> classNames(List<CsvCell> labels, String column) {
        List<String> names = new ArrayList<>(labels.size());
        for (CsvCell cell : labels) {
            String name = cell.text().strip();
            if (name.isEmpty()) {
                throw new PluginException(cell.at(path) + ": the label in column " + column + " is empty; every example needs a label");
            }
            names.add(name);
        }
        return names;
    }

    /** Class names to output index, sorted: numerically when every label is a number, else as text. */
    private static Map<String, Integer> classes(List<String> labels) {
        boolean numeric = labels.stream().allMatch(DecimalNumber::isFinite);
        Comparator<String> order = numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder();
        Map<String, Integer> classes = new TreeMap<>(order);
        labels.forEach(l -> classes.put(l, 0));
        int k = 0;
        for (var e : classes.entrySet()) e.setValue(k++);
        return classes;
    }

    private double number(CsvCell cell, String column) {
        String text = cell.text().strip();
        if (DecimalNumber.isFinite(text)) return Double.parseDouble(text);
        String what = DecimalNumber.isPlain(text) ? " is beyond the range of a double; expected a magnitude below 1.8e308"
                : " is not a number" + (text.isEmpty() ? " (the cell is empty)" : "") + "; expected a decimal number such as 3, -2.5 or 1e-3";
        throw new PluginException(cell.at(path) + ": '" + text + "' in column " + column + what);
    }
}
