package io.backprop.runner.encoding;

import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.table.DecimalNumber;
import io.backprop.runner.plugin.table.Table;
import io.backprop.runner.plugin.table.TableSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link Table}'s raw columns into inputs a network takes: a numeric column stays one input, its gaps filled;
 * a categorical one becomes one 0/1 input per category (one-hot), its gaps filled with a category; with
 * {@code missing_indicator}, a column that had gaps gets a 0/1 input saying so. What fills a gap (the mean, the
 * median, the most frequent value, a constant) and the categories are learned by {@link #fit} from the training
 * split alone; {@link #state} saves them and {@link #restore} takes them back, so that every other split, a held-out
 * file and a saved model's inputs are encoded as the training split was. Columns are taken by name.
 */
public final class ColumnEncoder {
    /** The input that stands for categories seen fewer than {@code min_frequency} times in training. */
    public static final String OTHER = "(other)";

    private final List<Encoded> columns;
    private final List<String> missing;
    private final boolean unknownIsError;
    private final List<String> leftOut;
    private final int width;

    /** One column as fitted. {@code fill} is NaN where a gap is not filled ({@code drop_row}, or no category). */
    private record Encoded(
            String name,
            Table.Type type,
            String impute,
            double fill,
            String fillCategory,
            List<String> categories,
            List<String> infrequent,
            boolean indicator) {
        int width() {
            int w = type == Table.Type.NUMERIC ? 1 : categories.size() + (infrequent.isEmpty() ? 0 : 1);
            return w + (indicator ? 1 : 0);
        }
    }

    private ColumnEncoder(List<Encoded> columns, List<String> missing, boolean unknownIsError, List<String> leftOut) {
        this.columns = List.copyOf(columns);
        this.leftOut = List.copyOf(leftOut);
        this.missing = List.copyOf(missing);
        this.unknownIsError = unknownIsError;
        this.width = columns.stream().mapToInt(Encoded::width).sum();
    }

    /** Learns from the training split {@code train}, which must carry its {@link Dataset#table()}. */
    public static ColumnEncoder fit(Dataset train) {
        Table table = train.table();
        TableSettings settings = table.settings();
        List<Encoded> columns = new ArrayList<>();
        for (int c = 0; c < train.inputs(); c++) {
            Table.Column column = table.columns().get(c);
            List<Double> present = new ArrayList<>();
            for (int r = 0; r < train.rows(); r++) {
                double v = train.x()[r * train.inputs() + c];
                if (!Double.isNaN(v)) present.add(v);
            }
            boolean gaps = present.size() < train.rows();
            boolean indicator = settings.indicator() && gaps;
            String impute = column.impute();
            if (column.type() == Table.Type.NUMERIC) {
                double fill = switch (impute) {
                    case TableSettings.MEAN -> mean(present);
                    case TableSettings.MEDIAN -> median(present);
                    case TableSettings.MOST_FREQUENT -> mostFrequent(present);
                    case TableSettings.CONSTANT -> Double.parseDouble(column.fill());
                    default -> Double.NaN;
                };
                columns.add(new Encoded(
                        column.name(), Table.Type.NUMERIC, impute, fill, null, List.of(), List.of(), indicator));
                continue;
            }
            // Categories by their training count, in the table's sorted order.
            Map<String, Integer> counts = new TreeMap<>();
            for (double v : present) counts.merge(column.levels().get((int) v), 1, Integer::sum);
            String fillCategory = null;
            if (impute.equals(TableSettings.MOST_FREQUENT) && !counts.isEmpty()) {
                fillCategory = counts.entrySet().stream()
                        .max(Map.Entry.<String, Integer>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
                        .get()
                        .getKey();
            } else if (impute.equals(TableSettings.CONSTANT)) {
                fillCategory = column.fill();
                if (gaps) counts.merge(fillCategory, train.rows() - present.size(), Integer::sum);
            }
            List<String> categories = new ArrayList<>();
            List<String> infrequent = new ArrayList<>();
            counts.forEach((category, n) -> (n < settings.minFrequency() ? infrequent : categories).add(category));
            columns.add(new Encoded(
                    column.name(),
                    Table.Type.CATEGORICAL,
                    impute,
                    Double.NaN,
                    fillCategory,
                    categories,
                    infrequent,
                    indicator));
        }
        return new ColumnEncoder(columns, settings.missing(), settings.unknownIsError(), table.leftOut());
    }

    private static double mean(List<Double> values) {
        if (values.isEmpty()) return 0;
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.size();
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) return 0;
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The most frequent value; of equally frequent ones, the smallest. */
    private static double mostFrequent(List<Double> values) {
        if (values.isEmpty()) return 0;
        Map<Double, Integer> counts = new TreeMap<>();
        for (double v : values) counts.merge(v, 1, Integer::sum);
        double best = Double.NaN;
        int most = 0;
        for (var e : counts.entrySet()) {
            if (e.getValue() > most) {
                most = e.getValue();
                best = e.getKey();
            }
        }
        return best;
    }

    /** The encoded inputs, {@code rows x width()}, and how many cells held a category unknown to training. */
    public record Result(double[] x, Map<String, Integer> unknown) {}

    /**
     * {@code data} encoded as fitted: its table's columns taken by name (a column of numbers where training had
     * categories matches them by value, and a numeric column given as text must hold numbers). A column missing from
     * {@code data}, a gap that nothing fills, or (with {@code unknown: error}) an unknown category is a
     * {@link PluginException} naming the column, the value and the row.
     */
    public Result encode(Dataset data) {
        Table table = data.table();
        if (table == null) {
            throw new PluginException("has inputs that are not table columns; the model takes the columns "
                    + String.join(", ", inputColumns()));
        }
        int[] from = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name();
            from[i] = -1;
            for (int c = 0; c < table.columns().size(); c++)
                if (table.columns().get(c).name().equals(name)) from[i] = c;
            if (from[i] < 0) {
                throw new PluginException(
                        "missing column '" + name + "'; expected columns " + String.join(", ", inputColumns())
                                + (data.labelName().isEmpty()
                                        ? ""
                                        : " (a label column '" + data.labelName() + "' is ignored)"));
            }
        }
        double[] x = new double[data.rows() * width];
        Map<String, Integer> unknown = new LinkedHashMap<>();
        List<Map<Double, Integer>> byValue = new ArrayList<>();
        for (Encoded e : columns) byValue.add(byValue(e));
        for (int r = 0; r < data.rows(); r++) {
            int o = r * width;
            for (int i = 0; i < columns.size(); i++) {
                Encoded e = columns.get(i);
                Table.Column given = table.columns().get(from[i]);
                double v = data.x()[r * data.inputs() + from[i]];
                String at = table.at(r);
                if (Double.isNaN(v)) {
                    o = gap(e, x, o, at);
                } else if (e.type() == Table.Type.NUMERIC) {
                    x[o++] = given.type() == Table.Type.NUMERIC
                            ? v
                            : number(given.levels().get((int) v), e, at);
                    if (e.indicator()) o++;
                } else {
                    int k = given.type() == Table.Type.CATEGORICAL
                            ? index(e, given.levels().get((int) v))
                            : byValue.get(i).getOrDefault(v, -1);
                    String text = given.type() == Table.Type.CATEGORICAL
                            ? given.levels().get((int) v)
                            : DecimalText.of(v);
                    o = category(e, k, text, x, o, at, unknown);
                }
            }
        }
        return new Result(x, unknown);
    }

    /**
     * One row of text cells encoded into {@code out} at {@code offset}: {@code cells.get(i)} is the cell of
     * {@link #inputColumns()}{@code .get(i)}, {@code at.get(i)} where it is. Missing cells are those the training
     * data's settings called missing. Unknown categories are counted into {@code unknown}.
     */
    public void encodeText(
            List<String> cells, List<String> at, double[] out, int offset, Map<String, Integer> unknown) {
        int o = offset;
        for (int i = 0; i < columns.size(); i++) {
            Encoded e = columns.get(i);
            String cell = cells.get(i).strip();
            if (missing.contains(cell)) {
                o = gap(e, out, o, at.get(i));
            } else if (e.type() == Table.Type.NUMERIC) {
                out[o++] = number(cell, e, at.get(i));
                if (e.indicator()) out[o++] = 0;
            } else {
                int k = index(e, cell);
                if (k == -1 && DecimalNumber.isFinite(cell)) k = byValue(e).getOrDefault(Double.parseDouble(cell), -1);
                o = category(e, k, cell, out, o, at.get(i), unknown);
            }
        }
    }

    /** A category's position among the one-hot inputs; -2 for an infrequent one, -1 for one unknown to training. */
    private static int index(Encoded e, String category) {
        int k = e.categories().indexOf(category);
        return k >= 0 ? k : e.infrequent().contains(category) ? -2 : -1;
    }

    /** Categories that are numbers, by value: for a held-out column of numbers where training had text. */
    private static Map<Double, Integer> byValue(Encoded e) {
        Map<Double, Integer> m = new HashMap<>();
        for (int k = 0; k < e.categories().size(); k++) {
            String c = e.categories().get(k);
            if (DecimalNumber.isFinite(c)) m.putIfAbsent(Double.parseDouble(c), k);
        }
        for (String c : e.infrequent()) if (DecimalNumber.isFinite(c)) m.putIfAbsent(Double.parseDouble(c), -2);
        return m;
    }

    private int category(Encoded e, int k, String text, double[] x, int o, String at, Map<String, Integer> unknown) {
        int n = e.categories().size();
        if (k >= 0) x[o + k] = 1;
        else if (k == -2) x[o + n] = 1;
        else if (unknownIsError) {
            throw new PluginException(
                    at + ": '" + text + "' in column " + e.name() + " is a category the training split did not have ("
                            + String.join(", ", e.categories()) + "); set unknown: ignore to give it all-zero inputs");
        } else {
            unknown.merge(e.name(), 1, Integer::sum);
        }
        return o + n + (e.infrequent().isEmpty() ? 0 : 1) + (e.indicator() ? 1 : 0);
    }

    /** A missing cell: filled as fitted, its indicator set. */
    private static int gap(Encoded e, double[] x, int o, String at) {
        if (e.impute().equals(TableSettings.DROP_ROW)) {
            throw new PluginException(
                    at + ": column " + e.name() + " is missing, and the model was trained with impute "
                            + TableSettings.DROP_ROW + " for it, which fills nothing; give the row a value");
        }
        int w = e.width();
        if (e.type() == Table.Type.NUMERIC) {
            x[o] = e.fill();
        } else if (e.fillCategory() != null) {
            int k = index(e, e.fillCategory());
            if (k >= 0) x[o + k] = 1;
            else if (k == -2) x[o + e.categories().size()] = 1;
        }
        if (e.indicator()) x[o + w - 1] = 1;
        return o + w;
    }

    private static double number(String text, Encoded e, String at) {
        if (DecimalNumber.isFinite(text)) return Double.parseDouble(text);
        throw new PluginException(
                at + ": '" + text + "' in column " + e.name() + " is not a number, and the model reads " + e.name()
                        + " as numeric; expected a decimal number such as 3, -2.5 or 1e-3, or a missing value");
    }

    /**
     * How one raw column is encoded, for writing the encoder elsewhere (the ONNX exporter). A numeric column's gap
     * becomes {@code fill} (NaN: nothing fills it); a categorical cell's text becomes the one-hot input at
     * {@code positions} of its {@code codes} inputs (a missing marker that of the filling category; a text not there
     * none); {@code indicator} adds one input, 1 for a gap.
     */
    public record Plan(
            String name, Table.Type type, double fill, Map<String, Integer> positions, int codes, boolean indicator) {}

    /** Every column's {@link Plan}, in input order. */
    public List<Plan> plans() {
        List<Plan> plans = new ArrayList<>();
        for (Encoded e : columns) {
            if (e.type() == Table.Type.NUMERIC) {
                plans.add(new Plan(e.name(), e.type(), e.fill(), Map.of(), 1, e.indicator()));
                continue;
            }
            int n = e.categories().size();
            Map<String, Integer> positions = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) positions.put(e.categories().get(k), k);
            for (String c : e.infrequent()) positions.put(c, n);
            Integer filled = e.impute().equals(TableSettings.DROP_ROW) || e.fillCategory() == null
                    ? null
                    : positions.get(e.fillCategory());
            // A missing marker is a gap before it is a category, as in encodeText.
            for (String marker : missing) {
                if (filled == null) positions.remove(marker);
                else positions.put(marker, filled);
            }
            plans.add(new Plan(
                    e.name(),
                    e.type(),
                    Double.NaN,
                    positions,
                    n + (e.infrequent().isEmpty() ? 0 : 1),
                    e.indicator()));
        }
        return plans;
    }

    /** The texts a cell holds for a missing value. */
    public List<String> missing() {
        return missing;
    }

    /** The raw columns the encoder takes, by name, in order. */
    public List<String> inputColumns() {
        return columns.stream().map(Encoded::name).toList();
    }

    /** The training source's columns that were neither inputs nor the label: a raw row may hold them. */
    public List<String> leftOut() {
        return leftOut;
    }

    /** How many inputs the encoded rows have. */
    public int width() {
        return width;
    }

    /** The encoded inputs' names: a numeric column's own, {@code island=Dream} for a category, {@code age (missing)}. */
    public List<String> outputNames() {
        List<String> names = new ArrayList<>();
        for (Encoded e : columns) {
            if (e.type() == Table.Type.NUMERIC) names.add(e.name());
            else e.categories().forEach(c -> names.add(e.name() + "=" + c));
            if (!e.infrequent().isEmpty()) names.add(e.name() + "=" + OTHER);
            if (e.indicator()) names.add(e.name() + " (missing)");
        }
        return names;
    }

    /** Per encoded input, whether it is a 0/1 code (a category or a missing indicator) rather than a number. */
    public boolean[] codeInputs() {
        boolean[] codes = new boolean[width];
        int o = 0;
        for (Encoded e : columns) {
            int w = e.width();
            for (int j = 0; j < w; j++)
                codes[o + j] = e.type() == Table.Type.CATEGORICAL || e.indicator() && j == w - 1;
            o += w;
        }
        return codes;
    }

    /** Whether any column is categorical. */
    public boolean hasCategories() {
        return columns.stream().anyMatch(e -> e.type() == Table.Type.CATEGORICAL);
    }

    /** What a gap in column {@code name} becomes, for messages: {@code the mean 43.92}, {@code 'Dream'}, or null. */
    public String fillOf(String name) {
        for (Encoded e : columns) {
            if (!e.name().equals(name)) continue;
            if (e.impute().equals(TableSettings.DROP_ROW)) return null;
            return e.type() == Table.Type.NUMERIC ? DecimalText.of(e.fill()) : e.fillCategory();
        }
        return null;
    }

    /** What {@link #fit} learned, for model.json: plain maps, lists, strings, numbers and booleans. */
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("missing", missing);
        m.put("unknown", unknownIsError ? "error" : "ignore");
        List<Object> list = new ArrayList<>();
        for (Encoded e : columns) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", e.name());
            c.put("type", e.type().word());
            c.put("impute", e.impute());
            if (e.type() == Table.Type.NUMERIC) {
                c.put("fill", Double.isNaN(e.fill()) ? null : e.fill());
            } else {
                c.put("fill", e.fillCategory());
                c.put("categories", e.categories());
                c.put("infrequent", e.infrequent());
            }
            c.put("indicator", e.indicator());
            list.add(c);
        }
        m.put("columns", list);
        m.put("left_out", leftOut);
        return m;
    }

    /** Takes back what {@link #state} gave (as JSON reads it back); a malformed state is an IllegalArgumentException. */
    @SuppressWarnings("unchecked")
    public static ColumnEncoder restore(Map<String, Object> state) {
        try {
            List<Encoded> columns = new ArrayList<>();
            for (Object o : (List<Object>) state.get("columns")) {
                Map<String, Object> c = (Map<String, Object>) o;
                Table.Type type = Table.Type.valueOf(((String) c.get("type")).toUpperCase(java.util.Locale.ROOT));
                boolean numeric = type == Table.Type.NUMERIC;
                Object fill = c.get("fill");
                columns.add(new Encoded(
                        (String) c.get("name"),
                        type,
                        (String) c.get("impute"),
                        numeric && fill != null ? ((Number) fill).doubleValue() : Double.NaN,
                        numeric ? null : (String) fill,
                        numeric ? List.of() : (List<String>) c.get("categories"),
                        numeric ? List.of() : (List<String>) c.get("infrequent"),
                        (Boolean) c.get("indicator")));
            }
            return new ColumnEncoder(
                    columns, (List<String>) state.get("missing"), "error".equals(state.get("unknown")), (List<String>)
                            state.getOrDefault("left_out", List.of()));
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an encoder's state: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ColumnEncoder" + Arrays.toString(outputNames().toArray());
    }
}
