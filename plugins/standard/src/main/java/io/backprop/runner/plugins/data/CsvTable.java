package io.backprop.runner.plugins.data;

import java.util.List;

/**
 * A CSV file split into cells, each with its position, before any column is given a type: the header row, then the
 * other rows in file order. Blank lines are left out. Rows may have any number of cells; checking them is the reader's
 * caller's business, as is what a cell means.
 *
 * @param file the file's name as the user wrote it, for messages
 */
record CsvTable(String file, List<CsvCell> header, List<Row> rows) {
    CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** One row's cells, and the line it starts on. */
    record Row(int line, List<CsvCell> cells) {
        Row {
            cells = List.copyOf(cells);
        }
    }
}
