package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the {@code csv} data source accepts and how it names what it does not. */
class CsvDataSourceTest {
    private static final String DROP_HINT = " (or set missing_label: drop_row to leave such rows out)";
    private static final String NOT_A_NUMBER = " is not a number; expected a decimal number such as 3, -2.5 or 1e-3";

    @TempDir
    Path dir;

    private Dataset csv(byte[] bytes, Map<String, ?> values) throws IOException {
        Files.write(dir.resolve("d.csv"), bytes);
        var p = StandardPlugins.registry().providers(PluginKind.DATA_SOURCE).stream()
                .filter(d -> d.name().equals("csv"))
                .findFirst()
                .orElseThrow();
        var all = new HashMap<String, Object>(values);
        all.put("path", "d.csv");
        return p.create(Params.of(p, all)).load(new DataContext(dir, 0));
    }

    private Dataset csv(String text, Map<String, ?> values) throws IOException {
        return csv(text.getBytes(StandardCharsets.UTF_8), values);
    }

    private String problem(String text, Map<String, ?> values) {
        return assertThrows(PluginException.class, () -> csv(text, values)).getMessage();
    }

    private String problem(String text) {
        return problem(text, Map.of());
    }

    /** Settings that declare {@code column} numeric, so that a cell of it that is not a number is an error. */
    private static Map<String, ?> numeric(String column) {
        return Map.of("columns", Map.of(column, "numeric"));
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        var bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        bytes.write("y,x\n0.5,1\n1.5,2\n".getBytes(StandardCharsets.UTF_8));
        Dataset d = csv(bytes.toByteArray(), Map.of("label", "y", "task", "regression"));
        assertArrayEquals(new double[] {0.5, 1.5}, d.y());
        assertArrayEquals(new double[] {1, 2}, d.x());
    }

    @Test
    void crlfAndLfLineEndsReadAlikeEvenInsideQuotes() throws IOException {
        Dataset d = csv("a,kind\r\n1,\"two\r\nlines\"\r\n2,y\n3,\"two\r\nlines\"\n", Map.of());
        assertEquals(List.of("two\r\nlines", "y"), d.classes());
        assertArrayEquals(new double[] {1, 2, 3}, d.x());
        assertEquals(
                "d.csv:5:3: 'x' in column a" + NOT_A_NUMBER,
                problem("a,kind\r\n1,\"p\r\nq\"\r\n2,y\r\n  x,z\r\n", numeric("a")));
    }

    @Test
    void quotedCellsHoldSeparatorsQuotesAndNewlines() throws IOException {
        Dataset d = csv("a,b,kind\n1,2,\"x, \"\"big\"\"\nand tall\"\n\"3\",\" 4 \",y\n", Map.of());
        assertEquals(List.of("x, \"big\"\nand tall", "y"), d.classes());
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.x());
    }

    @Test
    void linesAfterAMultiLineCellAreCountedInTheFile() {
        assertEquals(
                "d.csv:4:3: 'four' in column b" + NOT_A_NUMBER,
                problem("a,b,kind\n1,2,\"x\ny\"\n3,four,z\n", numeric("b")));
    }

    @Test
    void positionsStayRightThroughALongFileOfMixedLineEnds() {
        var text = new StringBuilder("a,b,kind\n");
        int line = 2;
        for (int r = 0; r < 5000; r++) {
            String end = switch (r % 3) {
                case 0 -> "\n";
                case 1 -> "\r\n";
                default -> "\r";
            };
            text.append(r)
                    .append(",  ")
                    .append(r % 7)
                    .append(",\"class")
                    .append(end)
                    .append(r % 2)
                    .append('"')
                    .append(end);
            line += 2;
        }
        text.append("1,  2x,y\n");
        assertEquals("d.csv:" + line + ":5: '2x' in column b" + NOT_A_NUMBER, problem(text.toString(), numeric("b")));
    }

    @Test
    void theSeparatorIsAParameter() throws IOException {
        Dataset semicolons = csv("a;b;kind\n1;2;\"x;y\"\n3;4;z\n", Map.of("separator", ";"));
        assertEquals(List.of("x;y", "z"), semicolons.classes());
        assertEquals(
                "d.csv:2:1: '1,5' in column a" + NOT_A_NUMBER,
                problem("a;b;kind\n1,5;2;x\n3;4;z\n", Map.of("separator", ";", "columns", Map.of("a", "numeric"))));
        Dataset tabs = csv("a\tb\tkind\n1\t2\tx\n3\t4\ty\n", Map.of("separator", "\t"));
        assertArrayEquals(new double[] {1, 2, 3, 4}, tabs.x());
        Dataset spelled = csv("a\tb\tkind\n1\t2\tx\n3\t4\ty\n", Map.of("separator", "\\t"));
        assertArrayEquals(new double[] {1, 2, 3, 4}, spelled.x());
    }

    @Test
    void aSeparatorThatCannotWorkIsRefused() {
        assertEquals(
                "separator must be one character other than a quote or a line end (such as ',', ';' or \\t for a tab), got '\"'",
                problem("a,b\n1,x\n", Map.of("separator", "\"")));
        assertEquals(
                "separator must be one character other than a quote or a line end (such as ',', ';' or \\t for a tab), got ';;'",
                problem("a,b\n1,x\n", Map.of("separator", ";;")));
    }

    @Test
    void bytesThatAreNotUtf8NameFileLineAndColumn() {
        byte[] latin1 = "a,b,kind\n1,2,x\n3,4,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        var e = assertThrows(PluginException.class, () -> csv(latin1, Map.of()));
        assertEquals("d.csv:3:8: the byte 0xe9 is not UTF-8; save the file as UTF-8", e.getMessage());
    }

    @Test
    void anEmptyLabelIsAnErrorNotAClass() {
        assertEquals(
                "d.csv:3:5: the label in column kind is empty; every example needs a label" + DROP_HINT,
                problem("a,b,kind\n1,2,x\n3,4,\n5,6,y\n"));
        assertEquals(
                "d.csv:3:5: the label in column kind is empty; every example needs a label" + DROP_HINT,
                problem("a,b,kind\n1,2,x\n3,4,\"  \"\n5,6,y\n"));
    }

    @Test
    void duplicateHeaderNamesAreAnError() {
        assertEquals(
                "d.csv:1:7: the header's cells 1 and 4 are both named 'a'; give every column its own name",
                problem("a,b,c,a,kind\n1,2,3,4,x\n5,6,7,8,y\n"));
    }

    @Test
    void anEmptyHeaderNameIsAnError() {
        assertEquals("d.csv:1:1: the header's cell 1 is empty; name every column", problem(",b,kind\n1,2,x\n5,6,y\n"));
    }

    @Test
    void rowsWithTooFewOrTooManyCellsNameTheirLine() {
        assertEquals("d.csv:4: the row has 4 cells; the header has 3", problem("a,b,kind\n1,2,\"x\ny\"\n3,4,z,9\n"));
        assertEquals("d.csv:4: the row has 1 cell; the header has 3", problem("a,b,kind\n1,2,\"x\ny\"\n\"3,4\"\n"));
    }

    @Test
    void quotesThatDoNotCloseOrAreFollowedByTextAreErrors() {
        assertEquals(
                "d.csv:3:5: the quoted cell has no closing quote; end it with \" (a quote inside it is written \"\")",
                problem("a,b,kind\n1,2,x\n3,4,\"y\n5,6,z\n"));
        assertEquals(
                "d.csv:2:8: unexpected 'y' after the quoted cell; put the whole cell in quotes (a quote inside it is written \"\")",
                problem("a,b,kind\n1,2,\"x\"y\n3,4,z\n"));
    }

    @Test
    void errorColumnsCountCharactersNotCells() {
        assertEquals(
                "d.csv:2:6: 'abc' in column b" + NOT_A_NUMBER, problem("a,b,kind\n10,  abc,y\n3,4,z\n", numeric("b")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "-2.5", "+3", "1e-3", "2E+5", ".5", "5.", "  7  ", "\"8\"", "0012"})
    void plainDecimalNumbersAreNumbers(String cell) throws IOException {
        Dataset d = csv("a,kind\n" + cell + ",x\n0,y\n", Map.of());
        double expected = Double.parseDouble(cell.replace("\"", "").strip());
        assertEquals(expected, d.x()[0], 0.0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0x1p3",
                "0x10",
                "1d",
                "1f",
                "1D",
                "NaN",
                "Infinity",
                "-Infinity",
                "1_000",
                "\"1,5\"",
                "--1",
                "1e",
                ".",
                "e3",
                "1.2.3",
                "1 2",
                "\"\"",
                "\u0661"
            })
    void anythingElseIsNotANumber(String cell) {
        String text = cell.startsWith("\"") ? cell.substring(1, cell.length() - 1) : cell;
        String problem = text.isEmpty() ? " is not a number (the cell is empty);" : " is not a number;";
        assertEquals(
                "d.csv:2:1: '" + text + "' in column a" + NOT_A_NUMBER.replace(" is not a number;", problem),
                problem(
                        "a,kind\n" + cell + ",x\n0,y\n",
                        Map.of("columns", Map.of("a", "numeric"), "missing", List.of("NA"))));
    }

    @Test
    void numbersBeyondTheRangeOfADoubleAreNamed() {
        assertEquals(
                "d.csv:2:1: '1e400' in column a is beyond the range of a double; expected a magnitude below 1.8e308",
                problem("a,kind\n1e400,x\n0,y\n"));
    }

    @Test
    void labelsSortAsNumbersOnlyWhenEveryOneIsAPlainDecimal() throws IOException {
        assertEquals(List.of("2", "10"), csv("a,kind\n1,10\n2,2\n", Map.of()).classes());
        assertEquals(
                List.of("0x1p4", "2"), csv("a,kind\n1,0x1p4\n2,2\n", Map.of()).classes());
    }
}
