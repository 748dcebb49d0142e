package io.backprop.runner.plugin.table;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;
import java.util.Map;

/**
 * How a table's cells are read and its columns encoded: the parameters a table data source declares (with
 * {@link #parameters()}) and reads back (with {@link #of(Params)}). Nothing needs saying: types are inferred, numeric
 * gaps take the training mean and categorical ones the most frequent category.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @param missing           the cell texts that mean "no value" (compared after trimming spaces)
 * @param types             column name to {@code numeric}, {@code categorical} or {@code ignore}, overriding inference
 * @param features          the input columns, when only these are wanted; empty for every column
 * @param ignore            columns to leave out
 * @param impute            column name to a strategy, overriding the defaults below
 * @param imputeNumeric     the strategy for numeric columns: mean, median, most_frequent, constant or drop_row
 * @param imputeCategorical the strategy for categorical columns: most_frequent, constant or drop_row
 * @param fill              column name to the value {@code constant} fills in (default 0, or "missing" for categories)
 * @param indicator         whether each column with gaps in the training split gets a 0/1 "was missing" input too
 * @param unknownIsError    whether a category the training split did not have is an error (else all zeros)
 * @param minFrequency      categories seen fewer times in the training split share one "(other)" input
 * @param dropMissingLabels whether a row without a label is left out (else it is an error)
 * @since 0.1
 */
public record TableSettings(
        List<String> missing,
        Map<String, String> types,
        List<String> features,
        List<String> ignore,
        Map<String, String> impute,
        String imputeNumeric,
        String imputeCategorical,
        Map<String, String> fill,
        boolean indicator,
        boolean unknownIsError,
        int minFrequency,
        boolean dropMissingLabels) {
    public static final String MEAN = "mean";
    public static final String MEDIAN = "median";
    public static final String MOST_FREQUENT = "most_frequent";
    public static final String CONSTANT = "constant";
    public static final String DROP_ROW = "drop_row";
    public static final List<String> STRATEGIES = List.of(MEAN, MEDIAN, MOST_FREQUENT, CONSTANT, DROP_ROW);
    public static final List<String> CATEGORICAL_STRATEGIES = List.of(MOST_FREQUENT, CONSTANT, DROP_ROW);
    public static final List<String> DEFAULT_MISSING = List.of("", "NA", "NaN", "?", "null");
    /** The category a constant fills a categorical gap with, unless {@code fill_value} says another. */
    public static final String MISSING_CATEGORY = "missing";

    public TableSettings {
        missing = List.copyOf(missing);
        types = Map.copyOf(types);
        features = List.copyOf(features);
        ignore = List.copyOf(ignore);
        impute = Map.copyOf(impute);
        fill = Map.copyOf(fill);
    }

    /** Everything inferred, gaps filled by the defaults. */
    public static TableSettings defaults() {
        return new TableSettings(
                DEFAULT_MISSING,
                Map.of(),
                List.of(),
                List.of(),
                Map.of(),
                MEAN,
                MOST_FREQUENT,
                Map.of(),
                false,
                false,
                1,
                false);
    }

    /** The parameters a table source declares, besides its own (a path, a label). */
    public static List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.map(
                        "columns",
                        List.of("numeric", "categorical", "ignore"),
                        "column types by name, overriding inference (a column of numbers is numeric, any other categorical)"),
                ParamSpec.list("features", List.of(), "the input columns to use (default: every column but the label)"),
                ParamSpec.list("ignore", List.of(), "columns to leave out"),
                new ParamSpec(
                        "missing",
                        ParamSpec.Type.LIST,
                        DEFAULT_MISSING,
                        0,
                        false,
                        0,
                        List.of(),
                        "the cell texts that mean a missing value"),
                ParamSpec.choice(
                        "impute_numeric",
                        STRATEGIES,
                        "how a numeric column's missing cells are filled, from the training split"),
                ParamSpec.choice(
                        "impute_categorical",
                        CATEGORICAL_STRATEGIES,
                        "how a categorical column's missing cells are filled"),
                ParamSpec.map("impute", STRATEGIES, "per column: mean, median, most_frequent, constant or drop_row"),
                ParamSpec.map(
                        "fill_value",
                        List.of(),
                        "per column: what constant fills in (default 0, or 'missing' for categories)"),
                ParamSpec.bool(
                        "missing_indicator",
                        false,
                        "add a 0/1 input per column that has missing cells in the training split"),
                ParamSpec.choice(
                        "unknown",
                        List.of("ignore", "error"),
                        "a category the training split did not have: all-zero inputs (counted in summary.json), or an error"),
                ParamSpec.integer(
                        "min_frequency",
                        1L,
                        1,
                        Integer.MAX_VALUE,
                        "categories seen fewer times in the training split share one '(other)' input"),
                ParamSpec.choice(
                        "missing_label", List.of("error", "drop_row"), "a row without a label: an error, or left out"));
    }

    /** The settings that {@code params} (declaring {@link #parameters()}) give. */
    public static TableSettings of(Params params) {
        return new TableSettings(
                params.getList("missing"),
                params.getMap("columns"),
                params.getList("features"),
                params.getList("ignore"),
                params.getMap("impute"),
                params.getString("impute_numeric"),
                params.getString("impute_categorical"),
                params.getMap("fill_value"),
                params.getBoolean("missing_indicator"),
                params.getString("unknown").equals("error"),
                params.getInt("min_frequency"),
                params.getString("missing_label").equals("drop_row"));
    }

    /** Whether {@code text} (trimmed) marks a missing cell. */
    public boolean isMissing(String text) {
        return missing.contains(text.strip());
    }
}
