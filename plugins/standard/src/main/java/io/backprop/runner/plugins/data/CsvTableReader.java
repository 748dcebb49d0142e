package io.backprop.runner.plugins.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.table.Utf8Text;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file into a {@link CsvTable}, in the dialect of RFC 4180 with the line ends and habits found in the wild:
 * UTF-8, with or without a byte order mark; lines ended by CRLF, LF or CR; a cell in double quotes may hold the
 * separator, line ends, and quotes written twice (""); spaces around a cell are not part of it; blank lines are
 * skipped. The splitting is Jackson's; this class adds strict decoding and messages that name file, line and column.
 */
final class CsvTableReader {
    private static final char QUOTE = '"';
    private static final CsvFactory FACTORY = CsvFactory.builder()
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL) // so that a blank line differs from a line of ""
            .build();

    private CsvTableReader() {}

    /**
     * @param file the file to read
     * @param name the file as the user named it, for messages
     * @throws PluginException if the file is missing, unreadable, not UTF-8 or not well-formed CSV
     */
    static CsvTable read(Path file, String name, char separator) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PluginException("no such file: " + name + " (looked for "
                    + file.toAbsolutePath().normalize() + ")");
        } catch (IOException e) {
            throw new PluginException("cannot read " + name + ": " + e.getMessage());
        }
        return split(decodeUtf8(bytes, name), name, separator);
    }

    /** The text of a UTF-8 file, without its byte order mark; a byte that is not UTF-8 is an error naming its place. */
    static String decodeUtf8(byte[] bytes, String name) {
        try {
            return Utf8Text.decode(bytes);
        } catch (Utf8Text.NotUtf8 e) {
            throw new PluginException(name + ":" + e.line() + ":" + e.column() + ": " + e.getMessage());
        }
    }

    /** The cells of {@code text}, each with its position. */
    static CsvTable split(String text, String name, char separator) {
        CsvSchema schema = CsvSchema.emptySchema()
                .withColumnSeparator(separator)
                .withQuoteChar(QUOTE)
                .withoutEscapeChar();
        List<CsvTable.Row> rows = new ArrayList<>();
        try (CsvParser parser = FACTORY.createParser(new StringReader(text))) {
            parser.setSchema(schema);
            List<CsvCell> cells = new ArrayList<>();
            boolean blank = true;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_ARRAY -> {
                        cells = new ArrayList<>();
                        blank = true;
                    }
                    case VALUE_STRING, VALUE_NULL -> {
                        JsonLocation at = parser.currentTokenLocation();
                        blank = cells.isEmpty() && token == JsonToken.VALUE_NULL;
                        cells.add(new CsvCell(
                                token == JsonToken.VALUE_NULL ? "" : parser.getText(),
                                at.getLineNr(),
                                at.getColumnNr()));
                    }
                    case END_ARRAY -> {
                        if (!(blank && cells.size() == 1))
                            rows.add(new CsvTable.Row(cells.get(0).line(), cells));
                    }
                    default -> throw new IllegalStateException("unexpected CSV token " + token);
                }
            }
        } catch (StreamReadException e) {
            throw new PluginException(malformed(text, name, e));
        } catch (IOException e) {
            throw new PluginException("cannot read " + name + ": " + e.getMessage());
        }
        if (rows.isEmpty()) return new CsvTable(name, List.of(), List.of());
        return new CsvTable(name, rows.get(0).cells(), rows.subList(1, rows.size()));
    }

    /**
     * What is wrong with a quoted cell Jackson could not split: it never closes, or text follows its closing quote.
     * (Those are the only two ways a cell can be malformed in this dialect.)
     */
    private static String malformed(String text, String name, StreamReadException e) {
        JsonLocation cellStart = e.getProcessor() instanceof CsvParser parser ? parser.currentTokenLocation() : null;
        JsonLocation failure = e.getLocation();
        if (cellStart == null || failure == null) return name + ": " + e.getOriginalMessage();
        String hint = " (a quote inside it is written \"\")";
        int quote = (int) cellStart.getCharOffset();
        if (closingQuote(text, quote) < 0) {
            return name + ":" + cellStart.getLineNr() + ":" + cellStart.getColumnNr()
                    + ": the quoted cell has no closing quote; end it with \"" + hint;
        }
        char unexpected = text.charAt((int) failure.getCharOffset());
        return name + ":" + failure.getLineNr() + ":" + (failure.getColumnNr() - 1) + ": unexpected '" + unexpected
                + "' after the quoted cell; put the whole cell in quotes" + hint;
    }

    /** The index of the quote that closes the quoted cell opening at {@code open}, or -1 if none does. */
    private static int closingQuote(String text, int open) {
        int from = open + 1;
        while (true) {
            int quote = text.indexOf(QUOTE, from);
            if (quote < 0) return -1;
            if (quote + 1 < text.length() && text.charAt(quote + 1) == QUOTE) {
                from = quote + 2;
            } else {
                return quote;
            }
        }
    }
}
