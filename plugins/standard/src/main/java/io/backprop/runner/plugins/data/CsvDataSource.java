package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.table.TableSettings;
import io.backprop.runner.plugin.table.Tables;
import io.backprop.runner.plugin.table.TextRows;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file: a header row naming the columns, then one example per row. Every column but the label is an
 * input, typed as {@link Tables} says: numeric where every non-missing cell is a plain decimal, else categorical,
 * unless the settings say otherwise. Classification labels may be any text; classes are sorted (numerically where every
 * label is a number) and become one-hot outputs; classes the context already knows are taken in its order instead.
 * Splitting the file into cells is {@link CsvTableReader}'s. Problems name the file, line and column.
 */
final class CsvDataSource implements DataSource {
    private final String path;
    private final String label;
    private final boolean classification;
    private final char separator;
    private final TableSettings settings;

    CsvDataSource(String path, String label, boolean classification, char separator, TableSettings settings) {
        this.path = path;
        this.label = label;
        this.classification = classification;
        this.separator = separator;
        this.settings = settings;
    }

    @Override
    public Dataset load(DataContext context) {
        CsvTable table = CsvTableReader.read(context.directory().resolve(path), path, separator);
        if (table.header().isEmpty()) throw new PluginException(path + " is empty; it needs a header row and examples");
        List<String> header = columnNames(table.header());
        int labelColumn = label.isEmpty() ? header.size() - 1 : header.indexOf(label);
        if (labelColumn < 0) {
            throw new PluginException(
                    path + " has no column named '" + label + "' (columns: " + String.join(", ", header) + ")");
        }
        if (header.size() < 2)
            throw new PluginException(path + ":" + table.header().get(0).line() + ": the header names " + header.size()
                    + " column; it needs inputs and a label");
        if (table.rows().isEmpty()) throw new PluginException(path + " has a header but no examples");
        List<List<String>> cells = new ArrayList<>();
        int[] lines = new int[table.rows().size()];
        for (int r = 0; r < table.rows().size(); r++) {
            CsvTable.Row row = table.rows().get(r);
            if (row.cells().size() != header.size()) {
                throw new PluginException(
                        path + ":" + row.line() + ": the row has " + row.cells().size()
                                + (row.cells().size() == 1 ? " cell" : " cells") + "; the header has " + header.size());
            }
            cells.add(row.cells().stream().map(CsvCell::text).toList());
            lines[r] = row.line();
        }
        var text = new TextRows(
                path,
                header,
                cells,
                lines,
                (r, c) -> table.rows().get(r).cells().get(c).at(path));
        return Tables.dataset(text, labelColumn, classification, context.classes(), settings);
    }

    /** The header's names; an empty or repeated one is an error, as no column could be told by it. */
    private List<String> columnNames(List<CsvCell> header) {
        List<String> names = new ArrayList<>();
        for (CsvCell cell : header) {
            String name = cell.text().strip();
            if (name.isEmpty()) {
                throw new PluginException(
                        cell.at(path) + ": the header's cell " + (names.size() + 1) + " is empty; name every column");
            }
            int earlier = names.indexOf(name);
            if (earlier >= 0) {
                throw new PluginException(cell.at(path) + ": the header's cells " + (earlier + 1) + " and "
                        + (names.size() + 1) + " are both named '" + name + "'; give every column its own name");
            }
            names.add(name);
        }
        return names;
    }
}
