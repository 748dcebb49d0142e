package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a CSV file: a header row naming the columns, then one example per row. Every column but the label is an
 * input and must be numeric. Classification labels may be any text; classes are sorted (numerically where every
 * label is a number) and become one-hot outputs. Problems name the file, row and column.
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
        Path file = context.directory().resolve(path);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PluginException("no such file: " + path + " (looked for " + file.toAbsolutePath().normalize() + ")");
        } catch (IOException e) {
            throw new PluginException("cannot read " + path + ": " + e.getMessage());
        }
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) first++;
        if (first == lines.size()) throw new PluginException(path + " is empty; it needs a header row and examples");
        List<String> header = split(lines.get(first));
        int labelColumn = label.isEmpty() ? header.size() - 1 : header.indexOf(label);
        if (labelColumn < 0) {
            throw new PluginException(path + " has no column named '" + label + "' (columns: " + String.join(", ", header) + ")");
        }
        if (header.size() < 2) throw new PluginException(path + ":" + (first + 1) + ": the header names " + header.size()
                + " column; it needs inputs and a label");
        List<double[]> inputs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Integer> rowsAt = new ArrayList<>();
        for (int i = first + 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            List<String> cells = split(lines.get(i));
            if (cells.size() != header.size()) {
                throw new PluginException(path + ":" + (i + 1) + ": the row has " + cells.size() + (cells.size() == 1 ? " cell" : " cells") + "; the header has "
                        + header.size());
            }
            double[] x = new double[header.size() - 1];
            for (int c = 0, j = 0; c < cells.size(); c++) {
                if (c == labelColumn) continue;
                x[j++] = number(cells.get(c), i + 1, c, header.get(c));
            }
            inputs.add(x);
            labels.add(cells.get(labelColumn).trim());
            rowsAt.add(i + 1);
        }
        if (inputs.isEmpty()) throw new PluginException(path + " has a header but no examples");
        int rows = inputs.size();
        int width = header.size() - 1;
        double[] x = new double[rows * width];
        for (int r = 0; r < rows; r++) System.arraycopy(inputs.get(r), 0, x, r * width, width);
        if (!classification) {
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) y[r] = number(labels.get(r), rowsAt.get(r), labelColumn, header.get(labelColumn));
            return new Dataset(x, y, rows, width, 1, Dataset.Task.REGRESSION, List.of());
        }
        Map<String, Integer> classes = classes(labels);
        if (classes.size() < 2) throw new PluginException(path + ": the label column " + header.get(labelColumn)
                + " holds one class only; classification needs two or more");
        double[] y = new double[rows * classes.size()];
        for (int r = 0; r < rows; r++) y[r * classes.size() + classes.get(labels.get(r))] = 1;
        return new Dataset(x, y, rows, width, classes.size(), Dataset.Task.CLASSIFICATION, List.copyOf(classes.keySet()));
    }

    /** Class names to output index, sorted: numerically when every label is a number, else as text. */
    private static Map<String, Integer> classes(List<String> labels) {
        boolean numeric = labels.stream().allMatch(CsvDataSource::isNumber);
        Comparator<String> order = numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder();
        Map<String, Integer> classes = new TreeMap<>(order);
        labels.forEach(l -> classes.put(l, 0));
        int k = 0;
        for (var e : classes.entrySet()) e.setValue(k++);
        return classes;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private double number(String cell, int row, int column, String name) {
        try {
            double v = Double.parseDouble(cell.trim());
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PluginException(path + ":" + row + ":" + (column + 1) + ": '" + cell.trim() + "' in column " + name
                + " is not a number" + (cell.isBlank() ? " (the cell is empty)" : ""));
    }

    /** The cells of a line; a cell in double quotes may hold the separator, and "" stands for a quote. */
    private List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        var cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }
}
