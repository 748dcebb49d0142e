package io.backprop.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backprop.runner.run.RunIndex;
import io.backprop.runner.run.RunIndex.Entry;
import io.backprop.runner.spec.Printable;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Suggestions;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description =
                "List the runs under a runs root as a table: status, epochs, key metrics, start, and the settings "
                        + "in which runs of one experiment differ.")
final class RunsCommand implements Callable<Integer>, Main.Streams {
    /** The columns every listing has; the metric columns follow when any run has them. */
    private static final List<String> FIXED = List.of("experiment", "run", "status", "epochs");
    /** The metric columns' headers and the summary.json keys they show. */
    private static final Map<String, String> METRICS = Map.of(
            "val.loss",
            "validation.loss",
            "val.acc",
            "validation.accuracy",
            "val.rmse",
            "validation.rmse",
            "test.loss",
            "test.loss",
            "test.acc",
            "test.accuracy",
            "test.rmse",
            "test.rmse");

    private static final List<String> METRIC_ORDER =
            List.of("val.loss", "val.acc", "val.rmse", "test.loss", "test.acc", "test.rmse");
    /** The provenance columns' headers and the summary.json keys they show (and --sort takes either). */
    private static final Map<String, String> PROVENANCE = provenanceColumns();

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    /** The columns that give up width first on a narrow terminal, in that order. */
    private static final List<String> SHRINKS =
            List.of("differs", "data", "cpu", "kernels", "run", "experiment", "java", "runner");

    private static final int NARROWEST = 8;

    @Parameters(
            paramLabel = "DIR",
            arity = "0..1",
            defaultValue = "runs",
            description = "A runs root (default: runs), an experiment's directory or one run's.")
    Path root;

    @Option(
            names = "--sort",
            paramLabel = "KEY",
            description =
                    "Order by a column or any key of summary.json or config.yaml "
                            + "(test.accuracy, training.l2); -KEY for descending; repeat for ties. Default: experiment, then started (a sweep's trials together), then run.")
    List<String> sort = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON for tools: one object per run, the numbers exact.")
    boolean json;

    @Option(
            names = "--provenance",
            description = "Add the runner and Java versions, processor, threads, kernels and data "
                    + "files' SHA-256 (the first 12 digits) to the table; the whole provenance to --json.")
    boolean provenance;

    @Option(
            names = "--width",
            paramLabel = "COLUMNS",
            description = "Fit the table to this many columns (0: no limit). "
                    + "Default: the terminal's width, or no limit into a pipe.")
    Integer width;

    private final PrintStream stdout;
    private final PrintStream stderr;

    private static Map<String, String> provenanceColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("runner", "provenance.runner");
        columns.put("java", "provenance.java.version");
        columns.put("cpu", "provenance.cpu.model");
        columns.put("threads", "provenance.threads");
        columns.put("kernels", "provenance.kernels");
        columns.put("data", null); // the data files' digests, shortened; not a key of its own
        return columns;
    }

    /** The summary.json key a column's header stands for; any other key as it is. */
    private static String keyOf(String header) {
        String key = METRICS.containsKey(header) ? METRICS.get(header) : PROVENANCE.get(header);
        return key != null ? key : header;
    }

    RunsCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new SpecException(Where.of(root.toString())
                    .problem((Files.exists(root) ? "not a directory" : "no such directory")
                            + "; name a runs root (run's --out, default runs), an experiment's directory or a run's"));
        }
        if (width != null && width < 0) {
            throw new SpecException(
                    Where.of("runner").problem("--width: expected 0 (no limit) or a number of columns, got " + width));
        }
        List<Entry> entries = new ArrayList<>(RunIndex.scan(root));
        if (entries.isEmpty()) {
            stdout.println(json ? "[]" : "no runs under " + root);
            return Main.OK;
        }
        entries.sort(order(entries));
        Map<Entry, Map<String, Object>> differs = differingSettings(entries);
        if (json) {
            printJson(entries, differs);
        } else {
            printTable(entries, differs);
        }
        return Main.OK;
    }

    /** The --sort keys, then the default order; a key no column and no run has is bad input, with near ones suggested. */
    private Comparator<Entry> order(List<Entry> entries) {
        Comparator<Entry> order = null;
        Set<String> known = null;
        for (String given : sort) {
            boolean descending = given.startsWith("-");
            String typed = descending ? given.substring(1) : given;
            String key = keyOf(typed);
            if (known == null) known = knownKeys(entries);
            if (!known.contains(key) && !known.contains(typed)) {
                List<String> columns = new ArrayList<>(FIXED);
                columns.addAll(METRIC_ORDER);
                columns.add("started");
                PROVENANCE.forEach((header, summaryKey) -> {
                    if (summaryKey != null) columns.add(header);
                });
                throw new SpecException(
                        Where.of("runner")
                                .problem(
                                        "--sort: unknown key '" + Printable.oneLine(typed) + "'"
                                                + Suggestions.didYouMean(Suggestions.closest(typed, known))
                                                + " (columns: " + String.join(", ", columns)
                                                + "; or any key of the runs' summary.json or config.yaml, such as test.accuracy or training.l2)"));
            }
            Comparator<Entry> byKey = (a, b) -> compareValues(a.value(key), b.value(key), descending);
            order = order == null ? byKey : order.thenComparing(byKey);
        }
        return order == null ? RunIndex.defaultOrder(entries) : order.thenComparing(RunIndex.defaultOrder(entries));
    }

    private static Set<String> knownKeys(List<Entry> entries) {
        Set<String> known = new LinkedHashSet<>(FIXED);
        known.add("started");
        known.add("directory");
        known.addAll(METRICS.keySet());
        known.addAll(METRICS.values());
        PROVENANCE.forEach((header, summaryKey) -> {
            if (summaryKey != null) known.add(header);
        });
        for (Entry e : entries) known.addAll(e.keys());
        return known;
    }

    /** Numbers by value, before text; what a run lacks comes last, whichever the direction. */
    private static int compareValues(Object a, Object b, boolean descending) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
        int c;
        if (a instanceof Number x && b instanceof Number y) c = Double.compare(x.doubleValue(), y.doubleValue());
        else if (a instanceof Number) c = -1;
        else if (b instanceof Number) c = 1;
        else c = String.valueOf(a).compareTo(String.valueOf(b));
        return descending ? -c : c;
    }

    /**
     * For each run, the config.yaml keys whose values are not the same in every listed run of its experiment; a key
     * one run lacks differs. Empty for an experiment listed once.
     */
    static Map<Entry, Map<String, Object>> differingSettings(List<Entry> entries) {
        Map<String, List<Entry>> byExperiment = entries.stream()
                .collect(Collectors.groupingBy(Entry::experiment, LinkedHashMap::new, Collectors.toList()));
        Map<Entry, Map<String, Object>> differs = new java.util.IdentityHashMap<>();
        for (List<Entry> group : byExperiment.values()) {
            Set<String> keys = new LinkedHashSet<>();
            for (Entry e : group) keys.addAll(e.settings().keySet());
            List<String> differing = new ArrayList<>();
            for (String key : keys) {
                Object first = group.get(0).settings().get(key);
                boolean firstHas = group.get(0).settings().containsKey(key);
                for (Entry e : group) {
                    if (e.settings().containsKey(key) != firstHas
                            || !Objects.equals(e.settings().get(key), first)) {
                        differing.add(key);
                        break;
                    }
                }
            }
            for (Entry e : group) {
                Map<String, Object> mine = new LinkedHashMap<>();
                for (String key : differing)
                    if (e.settings().containsKey(key))
                        mine.put(key, e.settings().get(key));
                differs.put(e, mine);
            }
        }
        return differs;
    }

    private void printJson(List<Entry> entries, Map<Entry, Map<String, Object>> differs) throws IOException {
        List<Object> all = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("experiment", e.experiment());
            m.put("run", e.run());
            m.put("directory", e.directory().toString());
            m.put("status", e.status());
            if (e.note() != null) m.put("note", e.note());
            m.put("epochs", e.epochs());
            m.put("started", e.started() == null ? null : e.started().toString());
            JsonNode s = e.summary();
            for (String key : List.of(
                    "stop_reason",
                    "best_epoch",
                    "kept_epoch",
                    "train",
                    "validation",
                    "test",
                    "wall_seconds",
                    "examples_per_second")) {
                m.put(key, s == null ? null : s.get(key));
            }
            m.put("differs", differs.get(e));
            if (provenance) m.put("provenance", s == null ? null : s.get("provenance"));
            all.add(m);
        }
        stdout.println(
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
    }

    private void printTable(List<Entry> entries, Map<Entry, Map<String, Object>> differs) {
        List<String> columns = new ArrayList<>(FIXED);
        for (String metric : METRIC_ORDER) {
            if (entries.stream().anyMatch(e -> e.value(METRICS.get(metric)) != null)) columns.add(metric);
        }
        columns.add("started");
        if (provenance) columns.addAll(PROVENANCE.keySet());
        boolean anyDiffer = differs.values().stream().anyMatch(d -> !d.isEmpty());
        if (anyDiffer) columns.add("differs");

        List<List<String>> rows = new ArrayList<>();
        for (Entry e : entries) {
            List<String> row = new ArrayList<>();
            for (String column : columns) row.add(Printable.oneLine(cell(e, column, differs.get(e))));
            rows.add(row);
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (List<String> row : rows)
                widths[c] = Math.max(widths[c], row.get(c).length());
        }
        fit(columns, widths, width != null ? width : terminalWidth());
        stdout.println(line(columns, columns, widths));
        for (List<String> row : rows) stdout.println(line(columns, row, widths));
        // Why a status is unknown, apart from the table, so that it stays one line a run.
        for (Entry e : entries) {
            if (e.note() != null)
                stderr.println("runner: " + Printable.oneLine(relative(e.directory()) + ": " + e.note()));
        }
    }

    private String relative(Path directory) {
        Path relative = root.relativize(directory);
        return relative.toString().isEmpty() ? directory.toString() : relative.toString();
    }

    private static String cell(Entry e, String column, Map<String, Object> differs) {
        switch (column) {
            case "epochs":
                return e.epochs() == null ? "-" : e.epochs().toString();
            case "started":
                return e.started() == null ? "-" : TIME.format(e.started().atZone(ZoneId.systemDefault()));
            case "differs":
                return differs.entrySet().stream()
                        .map(d -> d.getKey() + "=" + setting(d.getValue()))
                        .collect(Collectors.joining(" "));
            case "data":
                return data(e.summary());
            default:
                Object v = e.value(keyOf(column));
                if (v == null) return "-";
                if (v instanceof Double d) return String.format(Locale.ROOT, "%.4g", d);
                return String.valueOf(v);
        }
    }

    /** A setting as written: 0.0001 and 0, not 1.0E-4 and 0.0. */
    private static String setting(Object value) {
        if (value instanceof Double d && Double.isFinite(d))
            return new java.math.BigDecimal(d.toString()).stripTrailingZeros().toPlainString();
        return String.valueOf(value);
    }

    /** Each file's SHA-256, its first 12 digits, comma-separated; a generated source by its name. */
    private static String data(JsonNode summary) {
        JsonNode files = summary == null ? null : summary.path("provenance").path("data");
        if (files == null || !files.isArray()) return "-";
        List<String> parts = new ArrayList<>();
        for (JsonNode f : files) {
            if (f.path("sha256").isTextual())
                parts.add(f.get("sha256")
                        .asText()
                        .substring(0, Math.min(12, f.get("sha256").asText().length())));
            else if (f.has("generated")) parts.add(f.path("source").asText() + " (generated)");
            else parts.add(f.path("parameter").asText("?") + " (unread)");
        }
        return parts.isEmpty() ? "-" : String.join(",", parts);
    }

    /**
     * Narrows the widest of the shrinkable columns, a character at a time, until the table fits {@code limit} (0: no
     * limit); none goes below its header or a few characters.
     */
    private static void fit(List<String> columns, int[] widths, int limit) {
        if (limit <= 0) return;
        int total = 2 * (columns.size() - 1);
        for (int w : widths) total += w;
        while (total > limit) {
            int widest = -1;
            for (String name : SHRINKS) {
                int c = columns.indexOf(name);
                if (c >= 0
                        && widths[c] > Math.max(NARROWEST, name.length())
                        && (widest < 0 || widths[c] > widths[widest])) widest = c;
            }
            if (widest < 0) return; // as narrow as it goes: the terminal wraps the rest
            widths[widest]--;
            total--;
        }
    }

    /** Numbers right-aligned; a cell too wide ends in an ellipsis (a run's name keeps its end, where names differ). */
    private static String line(List<String> columns, List<String> cells, int[] widths) {
        var s = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            int w = widths[c];
            if (cell.length() > w) {
                cell = columns.get(c).equals("run")
                        ? "…" + cell.substring(cell.length() - (w - 1))
                        : cell.substring(0, w - 1) + "…";
            }
            boolean last = c == cells.size() - 1;
            boolean numeric = columns.get(c).equals("epochs")
                    || METRICS.containsKey(columns.get(c))
                    || columns.get(c).equals("threads");
            String padded =
                    numeric ? " ".repeat(w - cell.length()) + cell : last ? cell : cell + " ".repeat(w - cell.length());
            if (c > 0) s.append("  ");
            s.append(padded);
        }
        return s.toString().stripTrailing();
    }

    /** The terminal's columns when printing to one (COLUMNS, else stty); 0, no limit, into a pipe or a file. */
    private static int terminalWidth() {
        if (System.console() == null) return 0;
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{1,5}")) return Integer.parseInt(columns);
        try {
            Process stty = new ProcessBuilder("sh", "-c", "stty size < /dev/tty")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (stty.waitFor(2, TimeUnit.SECONDS) && out.matches("\\d+ \\d+"))
                return Integer.parseInt(out.split(" ")[1]);
        } catch (IOException e) {
            // no stty: no limit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
