package io.backprop.runner.plugin.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link Tables} types columns, finds gaps and leaves rows out. */
class TablesTest {
    /** Rows of comma-separated cells under a header; lines count from 2, columns are cell numbers. */
    static TextRows rows(String header, String... rows) {
        List<List<String>> cells = new ArrayList<>();
        for (String r : rows) cells.add(Arrays.asList(r.split(",", -1)));
        int[] lines = new int[rows.length];
        for (int i = 0; i < lines.length; i++) lines[i] = i + 2;
        return new TextRows(
                "t.csv", Arrays.asList(header.split(",")), cells, lines, (r, c) -> "t.csv:" + (r + 2) + ":" + (c + 1));
    }

    static Dataset dataset(TextRows rows, TableSettings settings) {
        return Tables.dataset(rows, rows.header().size() - 1, true, List.of(), settings);
    }

    static TableSettings with(Map<String, String> types, List<String> ignore) {
        var d = TableSettings.defaults();
        return new TableSettings(
                d.missing(),
                types,
                d.features(),
                ignore,
                d.impute(),
                d.imputeNumeric(),
                d.imputeCategorical(),
                d.fill(),
                false,
                false,
                1,
                false);
    }

    private static Table.Column column(Dataset d, String name) {
        return d.table().columns().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void trickyColumnsAreTypedAsAPersonWould() {
        Dataset d = dataset(
                rows("empty,one,stray,quoted,kind", "NA,5,1,2.5,x", ",5,2,3,y", "?,5,three,-1e3,x", "null,5,4,+.5,y"),
                TableSettings.defaults());
        assertEquals(Table.Type.NUMERIC, column(d, "empty").type());
        assertEquals(4, column(d, "empty").missing());
        assertTrue(
                column(d, "empty").note().startsWith("every cell is missing"),
                column(d, "empty").note());
        assertEquals(Table.Type.NUMERIC, column(d, "one").type());
        assertEquals(Table.Type.CATEGORICAL, column(d, "stray").type());
        assertEquals(List.of("1", "2", "4", "three"), column(d, "stray").levels());
        assertEquals(
                "3 of 4 cells are numbers, but 'three' at t.csv:4:3 is not: read as categorical; columns: {stray: numeric}"
                        + " makes such a cell an error, or add it to missing",
                column(d, "stray").note());
        assertEquals(Table.Type.NUMERIC, column(d, "quoted").type());
        assertEquals("", column(d, "quoted").note());
        // Missing numbers are NaN and categories index their sorted levels, until the encoder fills and expands them.
        assertTrue(Double.isNaN(d.x()[0]));
        assertEquals(3, d.x()[2 * 4 + 2], 0.0);
        assertEquals(-1e3, d.x()[2 * 4 + 3], 0.0);
    }

    @Test
    void settingsOverrideTypesAndSelectColumns() {
        TextRows text = rows("id,year,island,kind", "1,2007,Biscoe,x", "2,2008,Dream,y");
        Dataset d = dataset(text, with(Map.of("year", "categorical", "id", "ignore"), List.of()));
        assertEquals(List.of("year", "island"), d.inputNames());
        assertEquals(Table.Type.CATEGORICAL, column(d, "year").type());
        assertEquals(
                List.of("island"),
                dataset(text, with(Map.of(), List.of("id", "year"))).inputNames());
        var d0 = TableSettings.defaults();
        var features = new TableSettings(
                d0.missing(),
                Map.of(),
                List.of("year"),
                List.of(),
                Map.of(),
                "mean",
                "most_frequent",
                Map.of(),
                false,
                false,
                1,
                false);
        assertEquals(List.of("year"), dataset(text, features).inputNames());
    }

    @Test
    void aDeclaredNumericColumnNamesACellThatIsNotANumber() {
        var e = assertThrows(
                PluginException.class,
                () -> dataset(rows("a,kind", "1,x", "two,y"), with(Map.of("a", "numeric"), List.of())));
        assertEquals(
                "t.csv:3:1: 'two' in column a is not a number; expected a decimal number such as 3, -2.5 or 1e-3",
                e.getMessage());
    }

    @Test
    void namesTheSettingsGiveMustBeColumns() {
        var e = assertThrows(
                PluginException.class,
                () -> dataset(rows("island,kind", "a,x", "b,y"), with(Map.of("iland", "categorical"), List.of())));
        assertEquals(
                "columns: t.csv has no column 'iland'; did you mean 'island'? (columns: island, kind)", e.getMessage());
        e = assertThrows(
                PluginException.class,
                () -> dataset(rows("island,kind", "a,x", "b,y"), with(Map.of(), List.of("kind"))));
        assertEquals("ignore: 'kind' is the label column; ignore names input columns (island)", e.getMessage());
    }

    @Test
    void dropRowAndMissingLabelsLeaveRowsOut() {
        var d0 = TableSettings.defaults();
        var drop = new TableSettings(
                d0.missing(),
                Map.of(),
                List.of(),
                List.of(),
                Map.of("a", "drop_row"),
                "mean",
                "most_frequent",
                Map.of(),
                false,
                false,
                1,
                true);
        Dataset d = dataset(rows("a,b,kind", "1,NA,x", "NA,2,y", "3,4,NA", "5,6,y"), drop);
        assertEquals(2, d.rows());
        assertArrayEquals(new int[] {2, 5}, d.table().lines());
        assertEquals(2, d.table().droppedRows());
        var e = assertThrows(
                PluginException.class, () -> dataset(rows("a,kind", "1,x", "2,", "3,y"), TableSettings.defaults()));
        assertEquals(
                "t.csv:3:2: the label in column kind is empty; every example needs a label (or set missing_label: drop_row"
                        + " to leave such rows out)",
                e.getMessage());
    }

    @Test
    void categoricalColumnsCannotTakeTheMeanAndAConstantMustFitTheType() {
        var d0 = TableSettings.defaults();
        var median = new TableSettings(
                d0.missing(),
                Map.of(),
                List.of(),
                List.of(),
                Map.of("b", "median"),
                "mean",
                "most_frequent",
                Map.of(),
                false,
                false,
                1,
                false);
        var e = assertThrows(PluginException.class, () -> dataset(rows("b,kind", "p,x", "q,y"), median));
        assertEquals(
                "t.csv: impute.b: median needs numbers, and column b is categorical; use most_frequent, constant or drop_row,"
                        + " or columns: {b: numeric}",
                e.getMessage());
        var word = new TableSettings(
                d0.missing(),
                Map.of(),
                List.of(),
                List.of(),
                Map.of("a", "constant"),
                "mean",
                "most_frequent",
                Map.of("a", "none"),
                false,
                false,
                1,
                false);
        e = assertThrows(PluginException.class, () -> dataset(rows("a,kind", "1,x", "2,y"), word));
        assertEquals(
                "fill_value.a: 'none' is not a number, and column a is numeric; expected a decimal number such as 0 or -1",
                e.getMessage());
    }
}
