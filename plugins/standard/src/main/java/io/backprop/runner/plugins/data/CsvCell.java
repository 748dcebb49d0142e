package io.backprop.runner.plugins.data;

/**
 * One cell of a CSV file as written, before any typing: its text (unquoted, quotes undoubled) and where it starts.
 *
 * @param line 1-based line of the file on which the cell starts
 * @param column 1-based column, in characters, of the cell's first character (its opening quote, if quoted)
 */
record CsvCell(String text, int line, int column) {
    /** {@code file:line:column}, for messages. */
    String at(String file) {
        return file + ":" + line + ":" + column;
    }
}
