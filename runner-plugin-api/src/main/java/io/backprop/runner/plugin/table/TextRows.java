package io.backprop.runner.plugin.table;

import java.util.List;
import java.util.Objects;

/**
 * Rows of text cells as a source read them, before any typing: what {@link Tables#dataset} turns into a data set.
 * Every row has a cell per header name.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @param source the file's name as the user wrote it, for messages
 * @param header the column names, each non-empty and distinct
 * @param rows   the cells, row by row
 * @param lines  the line each row starts on
 * @param place  where a cell is, for messages ({@code file:line:column})
 * @since 0.1
 */
public record TextRows(String source, List<String> header, List<List<String>> rows, int[] lines, Place place) {
    public TextRows {
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(place, "place is null");
        header = List.copyOf(header);
        rows = List.copyOf(rows);
        if (lines.length != rows.size())
            throw new IllegalArgumentException(lines.length + " lines for " + rows.size() + " rows");
    }

    /** Where a cell is. */
    @FunctionalInterface
    public interface Place {
        /** {@code file:line:column} of the cell at {@code row} (0-based among the rows) and {@code column}. */
        String at(int row, int column);
    }

    String text(int row, int column) {
        return rows.get(row).get(column).strip();
    }
}
