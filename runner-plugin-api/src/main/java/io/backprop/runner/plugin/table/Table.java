package io.backprop.runner.plugin.table;

import java.util.List;
import java.util.Objects;

/**
 * The raw columns of a {@link io.backprop.runner.plugin.Dataset}, before encoding: each column's type and, for a
 * categorical one, its categories as the source found them (the data set's values index into them). Also the line of
 * each row, for messages, and how many rows the source left out.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @param source      the file (or other source) name, for messages
 * @param columns     the input columns, in input order
 * @param lines       the line each row came from, row by row
 * @param settings    how cells were read and how the encoder is to fill and encode them
 * @param droppedRows rows the source left out for a missing value (a {@code drop_row} column, a missing label)
 * @param leftOut     the source's other columns, neither inputs nor the label ({@code ignore}, or not in
 *                    {@code features}): a saved model's input may hold them, and they are passed over
 * @since 0.1
 */
public record Table(
        String source,
        List<Column> columns,
        int[] lines,
        TableSettings settings,
        int droppedRows,
        List<String> leftOut) {
    public Table {
        leftOut = List.copyOf(leftOut);
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(lines, "lines is null");
        Objects.requireNonNull(settings, "settings is null");
        columns = List.copyOf(columns);
    }

    /** A numeric or categorical column. */
    public enum Type {
        NUMERIC,
        CATEGORICAL;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One input column.
     *
     * @param name    as the header names it
     * @param type    numeric: the values are the numbers; categorical: the values index {@code levels}
     * @param levels  a categorical column's distinct texts, sorted; empty for a numeric one
     * @param impute  how a missing cell is filled: {@link TableSettings#MEAN} and the other strategies
     * @param fill    the value that {@code constant} fills in (a number's text for a numeric column)
     * @param missing how many cells were missing in the rows the source kept
     * @param note    what a person should know about how the column was read (empty when nothing): a column of
     *                numbers with a stray word, say
     */
    public record Column(
            String name, Type type, List<String> levels, String impute, String fill, int missing, String note) {
        public Column {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(type, "type is null");
            levels = List.copyOf(levels);
        }
    }

    /** The rows at {@code indices}, in that order. */
    public Table select(int[] indices) {
        int[] selected = new int[indices.length];
        for (int i = 0; i < indices.length; i++) selected[i] = lines[indices[i]];
        return new Table(source, columns, selected, settings, droppedRows, leftOut);
    }

    /** Where row {@code row} is, for messages: {@code file:line}. */
    public String at(int row) {
        return source + ":" + lines[row];
    }
}
