package io.backprop.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * report.html: the learning curves of one run, or of several overlaid (drawn by uPlot, inlined), with where each run
 * stopped and which epoch it kept marked on the curve whose metric chose them; the headline metrics, the confusion
 * matrix and per-class table where summary.json has them, and the resolved config. One file, nothing fetched.
 */
public final class Report {
    /** The splits of summary.json and metrics.jsonl, in the order the pages show them. */
    static final List<String> SPLITS = List.of("train", "validation", "test");

    /** Whether the run validates on its training set ({@code data.validation: train}): one curve, not two alike. */
    static boolean validatesOnTraining(Run r) {
        return "train".equals(String.valueOf(r.settings().get("data.validation")));
    }

    /** A split's figures in summary.json; none for a validation set that is the training set itself. */
    static JsonNode figures(Run r, String split) {
        return split.equals("validation") && validatesOnTraining(r)
                ? MissingNode.getInstance()
                : r.summary().path(split);
    }
    /** The headline metrics of a split, in the order the tables show them (those present in some run). */
    private static final List<String> METRICS = List.of(
            "loss",
            "accuracy",
            "rmse",
            "mae",
            "r2",
            "log_loss",
            "balanced_accuracy",
            "macro_f1",
            "weighted_f1",
            "roc_auc",
            "average_precision",
            "examples");

    private static final List<String> PER_CLASS =
            List.of("precision", "recall", "f1", "support", "roc_auc", "average_precision");

    /** One recorded run, read back from its directory. */
    public record Run(
            Path directory,
            String name,
            List<JsonNode> epochs,
            JsonNode summary,
            String config,
            Map<String, Object> settings) {}

    private Report() {}

    /** Writes {@code runDirectory/report.html} from the files the run recorded. */
    public static void write(Path runDirectory) throws IOException {
        AtomicFile.writeString(
                runDirectory.resolve("report.html"), html(List.of(read(runDirectory, runDirectory.toString()))));
    }

    /** Writes one page overlaying the runs in {@code runDirectories} ({@code sources} name them in messages). */
    public static void compare(List<Path> runDirectories, Path file) throws IOException {
        List<Run> runs = new ArrayList<>();
        var problems = new io.backprop.runner.spec.Problems();
        for (Path dir : runDirectories) {
            try {
                runs.add(read(dir, dir.toString()));
            } catch (SpecException e) {
                problems.addAll(e);
            }
        }
        problems.throwIfAny();
        AtomicFile.writeString(file, html(runs));
    }

    /** A run directory read for a report; a SpecException when it is none. */
    public static Run read(Path dir, String source) throws IOException {
        Path metrics = dir.resolve("metrics.jsonl");
        Path summary = dir.resolve("summary.json");
        if (!Files.isDirectory(dir)) throw new SpecException(Where.of(source).problem("no such run directory"));
        if (!Files.isRegularFile(summary)) {
            var writer = RunLock.writer(dir);
            if (writer.isPresent() && Files.isRegularFile(dir.resolve("config.yaml"))) {
                throw new SpecException(Where.of(source)
                        .problem("the run is still going (pid " + writer.getAsLong()
                                + ") and has no summary.json yet; report it when it ends"));
            }
            throw new SpecException(Where.of(source).problem("not a run directory: it has no summary.json"));
        }
        var json = new ObjectMapper();
        List<JsonNode> epochs = new ArrayList<>();
        if (Files.isRegularFile(metrics)) {
            List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                try {
                    epochs.add(json.readTree(lines.get(i)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    // A run writing there may be half-way through its last line: that one is not there yet.
                    if (i < lines.size() - 1)
                        throw new SpecException(new Where(metrics.toString(), i + 1, 0, "")
                                .problem("not a line of JSON: " + e.getOriginalMessage()));
                }
            }
        }
        Path configFile = dir.resolve("config.yaml");
        String config = Files.isRegularFile(configFile) ? Files.readString(configFile, StandardCharsets.UTF_8) : "";
        Map<String, Object> settings = new LinkedHashMap<>();
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(config);
        flatten("", tree, settings);
        JsonNode s = json.readTree(summary.toFile());
        return new Run(dir, s.path("experiment").asText(dir.getFileName().toString()), epochs, s, config, settings);
    }

    private static void flatten(String prefix, Object value, Map<String, Object> out) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) flatten(prefix + "[" + i + "]", l.get(i), out);
        } else if (!prefix.equals("name") && !prefix.startsWith("plugins")) {
            out.put(prefix, value);
        }
    }

    /** A run's label: its name and run id, and the settings in which it differs from the other runs. */
    public static List<String> labels(List<Run> runs) {
        List<String> differing = differing(runs);
        List<String> labels = new ArrayList<>();
        for (Run r : runs) {
            var label = new StringBuilder(r.name())
                    .append(' ')
                    .append(r.summary().path("run").asText());
            if (runs.size() > 1) {
                for (String k : differing)
                    label.append(", ").append(k).append('=').append(r.settings().get(k));
            }
            labels.add(label.toString());
        }
        return labels;
    }

    /** The settings in which the runs differ. */
    private static List<String> differing(List<Run> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.settings().keySet()));
        return keys.stream()
                .filter(k ->
                        runs.stream().map(r -> r.settings().get(k)).distinct().count() > 1)
                .toList();
    }

    /** A run's name in a legend: what sets it apart from the other runs, or its name and run id when nothing does. */
    private static List<String> shortLabels(List<Run> runs, List<String> labels) {
        List<String> differing = differing(runs);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            var parts = new ArrayList<String>();
            for (String k : differing)
                parts.add(k + "=" + runs.get(i).settings().get(k));
            out.add(runs.size() > 1 && !parts.isEmpty() ? String.join(", ", parts) : labels.get(i));
        }
        return out.stream().distinct().count() == out.size() ? out : labels;
    }

    static String html(List<Run> runs) {
        List<String> labels = labels(runs);
        String title = runs.size() == 1
                ? "Run " + labels.get(0)
                : "Runs compared: "
                        + String.join(
                                " · ", runs.stream().map(Run::name).distinct().toList());
        var body = new StringBuilder("<header><h1>").append(Page.escape(title)).append("</h1>\n");
        if (runs.size() == 1)
            body.append("<p class=\"sub\">")
                    .append(Page.escape(outcome(runs.get(0))))
                    .append("</p>\n");
        body.append("</header>\n");
        body.append(headline(runs, labels));
        body.append(chartSlots(runs, "Learning curves"));
        body.append(classes(runs, labels));
        body.append(facts(runs, labels));
        body.append(configs(runs, labels));
        ObjectNode data = Page.object().put("kind", "report");
        data.set("charts", charts(runs));
        data.set("runs", curves(runs, labels));
        return Page.document(title, body.toString(), data);
    }

    /** One line on how a run ended: "stopped at epoch 251 by early-stopping: ...; kept the weights of epoch 201". */
    static String outcome(Run r) {
        JsonNode s = r.summary();
        var line = new StringBuilder(s.path("status").asText("?"))
                .append(" after ")
                .append(s.path("epochs").asInt())
                .append(" epochs");
        if (!s.path("stopped_by").asText("").isEmpty())
            line.append(" (").append(s.path("stopped_by").asText()).append(')');
        if (!s.path("stop_reason").asText("").isEmpty())
            line.append(": ").append(s.path("stop_reason").asText());
        int kept = s.path("kept_epoch").asInt();
        if (kept > 0 && kept != s.path("epochs").asInt())
            line.append("; kept the weights of epoch ").append(kept);
        return line.toString();
    }

    /** The second curve of a run: accuracy for classification, RMSE for regression. */
    public static String secondMetric(List<Run> runs) {
        boolean classification =
                runs.stream().anyMatch(r -> r.epochs().stream().anyMatch(e -> e.has("train_accuracy")));
        return classification ? "accuracy" : "rmse";
    }

    /** The charts a page draws: loss (log scale where it spans decades), then accuracy or RMSE. */
    public static ArrayNode charts(List<Run> runs) {
        ArrayNode charts = Page.array();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Run r : runs) {
            for (JsonNode e : r.epochs()) {
                for (String split : SPLITS) {
                    double v = e.path(split + "_loss").asDouble(Double.NaN);
                    if (v > 0 && Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        charts.addObject().put("metric", "loss").put("title", "Loss").put("log", hi / lo > 20);
        String second = secondMetric(runs);
        charts.addObject()
                .put("metric", second)
                .put("title", second.equals("accuracy") ? "Accuracy" : "RMSE")
                .put("log", false);
        return charts;
    }

    static String chartSlots(List<Run> runs, String heading) {
        var s = new StringBuilder("<section class=\"curves\"><h2>")
                .append(Page.escape(heading))
                .append("</h2>\n");
        s.append(
                "<p class=\"hint\">Hover for every series' value at an epoch; drag to zoom, double-click to reset; click a legend entry to hide it.</p>\n");
        s.append("<div id=\"curves\" class=\"charts\"></div></section>\n");
        return s.toString();
    }

    /** Each run's curves, its stop and its kept epoch, and the metric that chose each. */
    private static ArrayNode curves(List<Run> runs, List<String> labels) {
        ArrayNode out = Page.array();
        String second = secondMetric(runs);
        List<String> legend = shortLabels(runs, labels);
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            ObjectNode run = out.addObject().put("label", labels.get(i)).put("legend", legend.get(i));
            ArrayNode epochs = run.putArray("epochs");
            r.epochs().forEach(e -> epochs.add(e.path("epoch").asInt()));
            ObjectNode series = run.putObject("series");
            for (String split : SPLITS) {
                if (split.equals("validation") && validatesOnTraining(r)) continue;
                for (String metric : List.of("loss", second)) {
                    String key = split + "_" + metric;
                    if (r.epochs().stream().noneMatch(e -> e.path(key).isNumber())) continue;
                    ArrayNode values = series.putArray(key);
                    r.epochs()
                            .forEach(e -> values.add(
                                    e.path(key).isNumber()
                                            ? Page.number(e.path(key).doubleValue())
                                            : Page.number(Double.NaN)));
                }
            }
            JsonNode s = r.summary();
            String stopper = s.path("stopped_by").asText("");
            if (s.path("epochs").asInt() > 0) {
                // No rule fired: the cap (max_epochs), a time limit or a failure ended it, as stop_reason says first.
                String by = !stopper.isEmpty()
                        ? stopper
                        : s.path("stop_reason")
                                .asText(s.path("status").asText("end"))
                                .split(" ", 2)[0];
                ObjectNode stop = run.putObject("stop")
                        .put("epoch", s.path("epochs").asInt())
                        .put("by", by);
                stop.put("metric", stopper.isEmpty() ? null : present(r, monitor(r, stopper, false)));
            }
            int kept = s.path("kept_epoch").asInt();
            String chooser = restoringRule(r);
            if (kept > 0 && chooser != null) {
                run.putObject("kept")
                        .put("epoch", kept)
                        .put("metric", present(r, monitor(r, chooser, true)))
                        .put("by", chooser);
            }
        }
        return out;
    }

    /** The rule that picks the kept epoch: an early-stopping rule that restores its best epoch's weights. */
    private static String restoringRule(Run r) {
        for (int i = 0; r.settings().containsKey("training.stopping[" + i + "].name"); i++) {
            String prefix = "training.stopping[" + i + "].";
            if ("early-stopping".equals(String.valueOf(r.settings().get(prefix + "name")))
                    && !"false".equals(String.valueOf(r.settings().get(prefix + "restore_best")))) {
                return "early-stopping";
            }
        }
        return null;
    }

    /** The metric the stopping rule {@code name} watches (its monitor, or its default); null for one that watches none. */
    private static String monitor(Run r, String name, boolean restoring) {
        for (int i = 0; r.settings().containsKey("training.stopping[" + i + "].name"); i++) {
            String prefix = "training.stopping[" + i + "].";
            if (!name.equals(String.valueOf(r.settings().get(prefix + "name")))) continue;
            if (restoring && "false".equals(String.valueOf(r.settings().get(prefix + "restore_best")))) continue;
            Object monitor = r.settings().get(prefix + "monitor");
            if (monitor != null) return monitor.toString();
        }
        return switch (name) {
            case "early-stopping" -> "validation_loss";
            case "plateau", "target-loss" -> "train_loss";
            case "target-accuracy" -> "train_accuracy";
            default -> null;
        };
    }

    /** {@code metric} if the run recorded it, else its training counterpart (null stays null). */
    private static String present(Run r, String metric) {
        if (metric == null) return null;
        if (!validatesOnTraining(r)
                && r.epochs().stream().anyMatch(e -> e.path(metric).isNumber())) return metric;
        return metric.replaceFirst("^validation_", "train_");
    }

    /** The headline metrics of each split, a row per run and split. */
    private static String headline(List<Run> runs, List<String> labels) {
        List<String> legend = shortLabels(runs, labels);
        // A number per cell: a split's lists and tables (classes, confusion_matrix, per_class) are shown below, and
        // log_loss is left out where it shows as the loss itself (cross-entropy).
        List<String> shown = METRICS.stream()
                .filter(m -> runs.stream()
                        .anyMatch(r -> SPLITS.stream()
                                .anyMatch(split -> figures(r, split).path(m).isNumber())))
                .filter(m -> !m.equals("log_loss")
                        || runs.stream()
                                .anyMatch(r -> SPLITS.stream().anyMatch(split -> {
                                    JsonNode v = figures(r, split);
                                    return v.path("log_loss").isNumber()
                                            && !Page.format(v.path("log_loss")).equals(Page.format(v.path("loss")));
                                })))
                .toList();
        var s = new StringBuilder("<section class=\"headline\"><h2>Metrics of the kept weights</h2>\n");
        if (runs.size() == 1) s.append(cards(runs.get(0)));
        if (runs.stream().anyMatch(Report::validatesOnTraining))
            s.append("<p class=\"hint\">Validated on the training set (data.validation: train): its validation figures")
                    .append(" are the training figures, shown once.</p>\n");
        s.append("<div class=\"scroll\"><table class=\"numbers\"><thead><tr>");
        if (runs.size() > 1) s.append("<th>run</th>");
        s.append("<th>split</th>");
        for (String m : shown)
            s.append("<th>").append(Page.escape(m.replace('_', ' '))).append("</th>");
        s.append("</tr></thead><tbody>\n");
        for (int i = 0; i < runs.size(); i++) {
            for (String split : SPLITS) {
                JsonNode values = figures(runs.get(i), split);
                if (!values.isObject()) continue;
                s.append("<tr>");
                if (runs.size() > 1)
                    s.append("<th class=\"run\" title=\"")
                            .append(Page.escape(labels.get(i)))
                            .append("\"><span class=\"swatch\" data-run=\"")
                            .append(i)
                            .append("\"></span>")
                            .append(Page.escape(legend.get(i)))
                            .append("</th>");
                s.append("<th>").append(split).append("</th>");
                for (String m : shown) {
                    JsonNode v = values.path(m);
                    s.append("<td>")
                            .append(Page.escape(v.isNumber() ? Page.format(v) : "–"))
                            .append("</td>");
                }
                s.append("</tr>\n");
            }
        }
        return s.append("</tbody></table></div></section>\n").toString();
    }

    /** The numbers a reader looks for first: the held-out split's main metrics, large. */
    private static String cards(Run r) {
        String split = r.summary().path("test").isObject()
                ? "test"
                : figures(r, "validation").isObject() ? "validation" : "train";
        JsonNode values = r.summary().path(split);
        var s = new StringBuilder("<div class=\"cards\">");
        for (String m : List.of("accuracy", "balanced_accuracy", "macro_f1", "roc_auc", "rmse", "r2", "loss")) {
            if (!values.has(m)) continue;
            s.append("<div class=\"card\"><div class=\"value\">")
                    .append(Page.escape(Page.format(values.path(m))))
                    .append("</div><div class=\"name\">")
                    .append(split)
                    .append(' ')
                    .append(m.replace('_', ' '))
                    .append("</div></div>");
        }
        s.append("<div class=\"card\"><div class=\"value\">")
                .append(r.summary().path("epochs").asInt())
                .append("</div><div class=\"name\">epochs")
                .append(
                        r.summary().path("kept_epoch").asInt()
                                        != r.summary().path("epochs").asInt()
                                ? ", kept " + r.summary().path("kept_epoch").asInt()
                                : "")
                .append("</div></div>");
        return s.append("</div>\n").toString();
    }

    /** The confusion matrix as a heat map and the per-class table, for each split that has them. */
    private static String classes(List<Run> runs, List<String> labels) {
        var s = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            boolean first = true;
            for (String split : List.of("test", "validation", "train")) {
                JsonNode values = figures(runs.get(i), split);
                if (!values.path("confusion_matrix").isArray()) continue;
                String heading = (runs.size() > 1 ? labels.get(i) + ": " : "") + split + " set"
                        + (values.has("examples")
                                ? ", " + values.path("examples").asInt() + " examples"
                                : "");
                s.append(first ? "<section class=\"classes\"><h2>" : "<details class=\"classes\"><summary>")
                        .append(Page.escape("Classes, " + heading))
                        .append(first ? "</h2>" : "</summary>")
                        .append("\n<div class=\"pair\">")
                        .append(confusion(values))
                        .append(perClass(values))
                        .append("</div>")
                        .append(first ? "</section>\n" : "</details>\n");
                first = false;
                if (runs.size() > 1) break;
            }
        }
        return s.toString();
    }

    /** Rows true, columns predicted; each cell shaded by its share of the row (the true class's examples). */
    static String confusion(JsonNode split) {
        JsonNode matrix = split.path("confusion_matrix");
        List<String> names = new ArrayList<>();
        split.path("classes").forEach(c -> names.add(c.asText()));
        while (names.size() < matrix.size()) names.add(Integer.toString(names.size()));
        var s = new StringBuilder(
                "<figure class=\"confusion\"><table class=\"heat\"><thead><tr><th class=\"corner\">true \\ predicted</th>");
        for (int c = 0; c < matrix.size(); c++)
            s.append("<th class=\"col\" title=\"predicted ")
                    .append(Page.escape(names.get(c)))
                    .append("\">")
                    .append(Page.escape(names.get(c)))
                    .append("</th>");
        s.append("</tr></thead><tbody>\n");
        for (int r = 0; r < matrix.size(); r++) {
            JsonNode row = matrix.get(r);
            long total = 0;
            for (JsonNode v : row) total += v.asLong();
            s.append("<tr><th class=\"row\">").append(Page.escape(names.get(r))).append("</th>");
            for (int c = 0; c < row.size(); c++) {
                long n = row.get(c).asLong();
                double share = total == 0 ? 0 : n / (double) total;
                String[] colours = heat(share, r == c);
                s.append("<td style=\"background:")
                        .append(colours[0])
                        .append(";color:")
                        .append(colours[1])
                        .append("\" title=\"true ")
                        .append(Page.escape(names.get(r)))
                        .append(", predicted ")
                        .append(Page.escape(names.get(c)))
                        .append(": ")
                        .append(n)
                        .append(" of ")
                        .append(total)
                        .append("\"><span class=\"count\">")
                        .append(n)
                        .append("</span>")
                        .append(n == 0 ? "" : "<small>" + Page.escape(percent(share)) + "</small>")
                        .append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append(
                        "</tbody></table><figcaption>Rows: the true class; columns: the predicted one. Shade: the share of the row;"
                                + " blue is right, red is wrong.</figcaption></figure>\n")
                .toString();
    }

    /** A share of a row as a whole percentage; one that rounds to 0 or to 100 but is not says so ("<1%", ">99%"). */
    static String percent(double share) {
        long rounded = Math.round(share * 100);
        if (rounded == 0 && share > 0) return "<1%";
        if (rounded == 100 && share < 1) return ">99%";
        return rounded + "%";
    }

    /** A cell's background and text colour: blue for the diagonal, red elsewhere, darker with the share; text kept readable. */
    private static String[] heat(double share, boolean diagonal) {
        if (share == 0) return new String[] {"#ffffff", "#767676"};
        double t = 0.12 + 0.88 * Math.sqrt(share);
        int[] dark = diagonal ? new int[] {8, 69, 148} : new int[] {165, 15, 21};
        int[] rgb = new int[3];
        for (int k = 0; k < 3; k++) rgb[k] = (int) Math.round(255 + (dark[k] - 255) * t);
        double luminance = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
        // The text colour with the higher contrast ratio (WCAG) against this background.
        String text = (1.05) / (luminance + 0.05) > (luminance + 0.05) / 0.05 ? "#ffffff" : "#111111";
        return new String[] {String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]), text};
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    static String perClass(JsonNode split) {
        JsonNode rows = split.path("per_class");
        if (!rows.isArray() || rows.isEmpty()) return "";
        List<String> shown = PER_CLASS.stream()
                .filter(k -> java.util.stream.StreamSupport.stream(rows.spliterator(), false)
                        .anyMatch(row -> row.has(k)))
                .toList();
        var s = new StringBuilder("<table class=\"numbers per-class\"><thead><tr><th>class</th>");
        for (String k : shown)
            s.append("<th>").append(Page.escape(k.replace('_', ' '))).append("</th>");
        s.append("</tr></thead><tbody>\n");
        for (JsonNode row : rows) {
            s.append("<tr><th>").append(Page.escape(row.path("class").asText())).append("</th>");
            for (String k : shown)
                s.append("<td>").append(Page.escape(Page.format(row.path(k)))).append("</td>");
            s.append("</tr>\n");
        }
        return s.append("</tbody></table>\n").toString();
    }

    /** How each run ended and what it cost. */
    private static String facts(List<Run> runs, List<String> labels) {
        var s = new StringBuilder(
                "<section class=\"facts\"><h2>Run</h2>\n<div class=\"scroll\"><table><thead><tr><th></th>");
        for (int i = 0; i < runs.size(); i++)
            s.append("<th>")
                    .append(Page.escape(
                            runs.size() > 1
                                    ? labels.get(i)
                                    : runs.get(i).summary().path("run").asText()))
                    .append("</th>");
        s.append("</tr></thead><tbody>\n");
        for (String row : List.of(
                "status",
                "stop_reason",
                "stopped_by",
                "epochs",
                "best_epoch",
                "kept_epoch",
                "seed",
                "wall_seconds",
                "training_seconds",
                "examples_per_second",
                "parallel_share",
                "metrics_weighted")) {
            if (runs.stream().noneMatch(r -> r.summary().has(row))) continue;
            s.append("<tr><th>").append(row).append("</th>");
            for (Run r : runs)
                s.append("<td>")
                        .append(Page.escape(Page.format(r.summary().path(row))))
                        .append("</td>");
            s.append("</tr>\n");
        }
        if (runs.stream().anyMatch(r -> r.summary().has("class_weights"))) {
            s.append("<tr><th>class_weights</th>");
            for (Run r : runs) {
                var parts = new ArrayList<String>();
                r.summary()
                        .path("class_weights")
                        .fields()
                        .forEachRemaining(e -> parts.add(e.getKey() + " " + Page.format(e.getValue())));
                s.append("<td>")
                        .append(Page.escape(parts.isEmpty() ? "–" : String.join(", ", parts)))
                        .append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</tbody></table></div></section>\n").toString();
    }

    /** The resolved config of each run, its long lines wrapped. */
    private static String configs(List<Run> runs, List<String> labels) {
        var s = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            String heading = "Config" + (runs.size() > 1 ? " of " + labels.get(i) : "")
                    + " (config.yaml, every default filled in)";
            s.append(runs.size() == 1 ? "<section class=\"config\"><h2>" : "<details class=\"config\"><summary>")
                    .append(Page.escape(heading))
                    .append(runs.size() == 1 ? "</h2>" : "</summary>")
                    .append("\n<pre>")
                    .append(Page.escape(runs.get(i).config()))
                    .append("</pre>")
                    .append(runs.size() == 1 ? "</section>\n" : "</details>\n");
        }
        return s.toString();
    }

    public static String escape(String s) {
        return Page.escape(s);
    }
}
