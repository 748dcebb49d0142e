package io.backprop.runner.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.table.TableSettings;
import io.backprop.runner.plugin.table.Tables;
import io.backprop.runner.plugin.table.TextRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link ColumnEncoder} learns from the training split, and how it encodes everything else. */
class ColumnEncoderTest {
    private static final TableSettings D = TableSettings.defaults();

    /** Rows of comma-separated cells under a header; lines count from 2, columns are cell numbers. */
    private static TextRows rows(String header, String... rows) {
        List<List<String>> cells = new ArrayList<>();
        for (String r : rows) cells.add(Arrays.asList(r.split(",", -1)));
        int[] lines = new int[rows.length];
        for (int i = 0; i < lines.length; i++) lines[i] = i + 2;
        return new TextRows(
                "t.csv", Arrays.asList(header.split(",")), cells, lines, (r, c) -> "t.csv:" + (r + 2) + ":" + (c + 1));
    }

    private static TableSettings settings(
            Map<String, String> impute,
            Map<String, String> fill,
            boolean indicator,
            boolean unknownIsError,
            int minFrequency) {
        return new TableSettings(
                D.missing(),
                Map.of(),
                List.of(),
                List.of(),
                impute,
                "mean",
                "most_frequent",
                fill,
                indicator,
                unknownIsError,
                minFrequency,
                false);
    }

    private static Dataset data(TableSettings settings, String header, String... rows) {
        TextRows text = rows(header, rows);
        return Tables.dataset(text, text.header().size() - 1, true, List.of(), settings);
    }

    @Test
    void oneHotAndTheMeanComeFromTheTrainingRowsAlone() {
        Dataset all = data(D, "size,colour,kind", "1,red,x", "3,blue,y", "NA,NA,x", "100,green,y", "NA,NA,y");
        Dataset train = all.select(new int[] {0, 1, 2});
        Dataset test = all.select(new int[] {3, 4});
        var encoder = ColumnEncoder.fit(train);
        assertEquals(List.of("size", "colour=blue", "colour=red"), encoder.outputNames());
        // size: the training mean (1 + 3) / 2 fills the gaps, not one that has seen the test split's 100; colour: the
        // most frequent training category, blue and red tied, the first in order; green, seen in test only, is unknown.
        var encoded = encoder.encode(test);
        assertArrayEquals(new double[] {100, 0, 0, 2, 1, 0}, encoded.x());
        assertEquals(Map.of("colour", 1), encoded.unknown());
        assertArrayEquals(
                new double[] {1, 0, 1, 3, 1, 0, 2, 1, 0}, encoder.encode(train).x());
        assertEquals("2", encoder.fillOf("size"));
        assertArrayEquals(new boolean[] {false, true, true}, encoder.codeInputs());
    }

    @Test
    void anUnknownCategoryCanBeAnErrorNamingColumnValueAndRow() {
        Dataset all = data(settings(Map.of(), Map.of(), false, true, 1), "colour,kind", "red,x", "blue,y", "green,x");
        var encoder = ColumnEncoder.fit(all.select(new int[] {0, 1}));
        var e = assertThrows(PluginException.class, () -> encoder.encode(all.select(new int[] {2})));
        assertEquals(
                "t.csv:4: 'green' in column colour is a category the training split did not have (blue, red);"
                        + " set unknown: ignore to give it all-zero inputs",
                e.getMessage());
    }

    @Test
    void medianMostFrequentAndConstantFillGaps() {
        var s = settings(
                Map.of("a", "median", "b", "most_frequent", "c", "constant", "d", "constant"),
                Map.of("c", "-1", "d", "none"),
                false,
                false,
                1);
        Dataset d = data(s, "a,b,c,d,kind", "1,5,1,p,x", "2,5,1,q,y", "10,7,1,q,x", "NA,NA,NA,NA,y");
        var encoder = ColumnEncoder.fit(d);
        assertEquals(List.of("a", "b", "c", "d=none", "d=p", "d=q"), encoder.outputNames());
        double[] x = encoder.encode(d).x();
        assertArrayEquals(new double[] {2, 5, -1, 1, 0, 0}, java.util.Arrays.copyOfRange(x, 3 * 6, 4 * 6));
    }

    @Test
    void missingIndicatorsAndRareCategories() {
        Dataset d = data(
                settings(Map.of(), Map.of(), true, false, 2),
                "a,colour,kind",
                "1,red,x",
                "NA,red,y",
                "3,blue,x",
                "5,red,y");
        var encoder = ColumnEncoder.fit(d);
        // a had a gap, so it gets an indicator; colour had none. blue is seen once: folded into (other).
        assertEquals(List.of("a", "a (missing)", "colour=red", "colour=(other)"), encoder.outputNames());
        assertArrayEquals(
                new double[] {1, 0, 1, 0, 3, 1, 1, 0, 3, 0, 0, 1, 5, 0, 1, 0},
                encoder.encode(d).x());
        assertArrayEquals(new boolean[] {false, true, true, true}, encoder.codeInputs());
    }

    @Test
    void aHeldOutFileTypedOtherwiseIsMatchedByValueAndByName() {
        Dataset train = data(D, "code,n,kind", "1,1,x", "2,2,y", "x,3,x");
        var encoder = ColumnEncoder.fit(train);
        // Here code holds only numbers and is read as numeric, n has a word, and the columns come in another order.
        Dataset other = data(D, "n,code,kind", "4,2,x", "5,1,y");
        assertArrayEquals(
                new double[] {0, 1, 0, 4, 1, 0, 0, 5}, encoder.encode(other).x());
        Dataset word = data(D, "n,code,kind", "four,2,x", "5,1,y");
        var e = assertThrows(PluginException.class, () -> encoder.encode(word));
        assertEquals(
                "t.csv:2: 'four' in column n is not a number, and the model reads n as numeric; expected a decimal number"
                        + " such as 3, -2.5 or 1e-3, or a missing value",
                e.getMessage());
        e = assertThrows(PluginException.class, () -> encoder.encode(data(D, "n,kind", "4,x", "5,y")));
        assertEquals(
                "missing column 'code'; expected columns code, n (a label column 'kind' is ignored)", e.getMessage());
    }

    @Test
    void rawTextRowsEncodeAsTheTableDid() {
        Dataset d = data(
                settings(Map.of(), Map.of(), true, false, 1), "size,colour,kind", "1,red,x", "NA,blue,y", "3,NA,x");
        var encoder = ColumnEncoder.fit(d);
        double[] fromTable = encoder.encode(d).x();
        double[] fromText = new double[fromTable.length];
        List<List<String>> cells = List.of(List.of("1", "red"), List.of("NA", "blue"), List.of("3", ""));
        Map<String, Integer> unknown = new java.util.HashMap<>();
        for (int r = 0; r < 3; r++)
            encoder.encodeText(cells.get(r), List.of("a", "b"), fromText, r * encoder.width(), unknown);
        assertArrayEquals(fromTable, fromText);
        double[] violet = new double[encoder.width()];
        encoder.encodeText(List.of("2", "violet"), List.of("a", "b"), violet, 0, unknown);
        assertEquals(Map.of("colour", 1), unknown);
    }

    @Test
    void theStateRoundTripsThroughJson() throws Exception {
        var s = settings(Map.of("a", "median"), Map.of(), true, true, 2);
        Dataset d = data(s, "a,colour,b,kind", "1.1,red,NA,x", "NA,red,2,y", "3,blue,2.5,x", "5,red,0.1,y");
        var encoder = ColumnEncoder.fit(d);
        var mapper = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = mapper.readValue(mapper.writeValueAsString(encoder.state()), Map.class);
        var restored = ColumnEncoder.restore(read);
        assertEquals(encoder.outputNames(), restored.outputNames());
        assertEquals(encoder.state(), restored.state());
        assertArrayEquals(encoder.encode(d).x(), restored.encode(d).x());
        List<Object> none = new ArrayList<>();
        assertThrows(
                IllegalArgumentException.class,
                () -> ColumnEncoder.restore(Map.of("columns", List.of(Map.of("type", "numbers")), "missing", none)));
    }
}
