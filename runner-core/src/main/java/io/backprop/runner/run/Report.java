package io.backprop.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * report.html: the learning curves of one run, or of several overlaid, as inline SVG, with where each run stopped,
 * its summary and its resolved config. One file, no scripts, nothing fetched: it reads the same offline.
 */
public final class Report {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};
    private static final int WIDTH = 720;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 40;
    private static final int MAX_POINTS = 1000;

    /** One recorded run, read back from its directory. */
    public record Run(Path directory, String name, List<JsonNode> epochs, JsonNode summary, String config, Map<String, Object> settings) {}

    private Report() {}

    /** Writes {@code runDirectory/report.html} from the files the run recorded. */
    public static void write(Path runDirectory) throws IOException {
        AtomicFile.writeString(runDirectory.resolve("report.html"), html(List.of(read(runDirectory, runDirectory.toString()))));
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
                throw new SpecException(Where.of(source).problem("the run is still going (pid " + writer.getAsLong()
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
                    if (i < lines.size() - 1) throw new SpecException(new Where(metrics.toString(), i + 1, 0, "").problem("not a line of JSON: " + e.getOriginalMessage()));
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
    private static List<String> labels(List<Run> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.settings().keySet()));
        List<String> differing = keys.stream()
                .filter(k -> runs.stream().map(r -> r.settings().get(k)).distinct().count() > 1).toList();
        List<String> labels = new ArrayList<>();
        for (Run r : runs) {
            var label = new StringBuilder(r.name()).append(' ').append(r.summary().path("run").asText());
            if (runs.size() > 1) {
                for (String k : differing) label.append(", ").append(k).append('=').append(r.settings().get(k));
            }
            labels.add(label.toString());
        }
        return labels;
    }

    static String html(List<Run> runs) {
        return html(runs, null, "");
    }

    /** The page for {@code runs}, with {@code title} (null: one made from the runs) and HTML to show first. */
    public static String html(List<Run> runs, String heading, String preamble) {
        List<String> labels = labels(runs);
        boolean classification = runs.stream().anyMatch(r -> !r.epochs().isEmpty() && r.epochs().get(0).has("train_accuracy"));
        String second = classification ? "accuracy" : "rmse";
        var page = new StringBuilder();
        String title = heading != null ? heading : runs.size() == 1 ? "Run " + labels.get(0)
                : "Runs compared: " + String.join(" · ", runs.stream().map(Run::name).distinct().toList());
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title>\n")
                .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}")
                .append("h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}pre{background:#f6f6f6;padding:8px;overflow:auto}")
                .append(".legend span{display:inline-block;margin-right:18px}svg text{font:11px sans-serif}</style></head><body>\n")
                .append("<h1>").append(escape(title)).append("</h1>\n").append(preamble);
        page.append("<p class=\"legend\">");
        for (int i = 0; i < runs.size(); i++) {
            page.append("<span><svg width=\"30\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\" stroke=\"").append(colour(i))
                    .append("\" stroke-width=\"2\"/></svg> ").append(escape(labels.get(i))).append("</span>");
        }
        page.append("<br><span>solid: training set</span><span>dashed: validation set</span><span>| stop</span><span>● kept weights</span></p>\n");
        page.append("<h2>Loss</h2>\n").append(chart(runs, "loss", true));
        page.append("<h2>").append(classification ? "Accuracy" : "RMSE").append("</h2>\n").append(chart(runs, second, false));
        page.append("<h2>Summary</h2>\n<table><tr><th></th>");
        for (String label : labels) page.append("<th>").append(escape(label)).append("</th>");
        page.append("</tr>\n");
        for (String row : List.of("status", "stop_reason", "stopped_by", "epochs", "best_epoch", "kept_epoch", "train", "validation",
                "test", "wall_seconds", "examples_per_second")) {
            page.append("<tr><th>").append(row).append("</th>");
            for (Run r : runs) page.append("<td>").append(escape(format(r.summary().path(row)))).append("</td>");
            page.append("</tr>\n");
        }
        page.append("</table>\n");
        for (int i = 0; i < runs.size(); i++) {
            page.append("<h2>Config of ").append(escape(labels.get(i))).append("</h2>\n<pre>").append(escape(runs.get(i).config())).append("</pre>\n");
        }
        return page.append("</body></html>\n").toString();
    }

    /** A line chart of {@code train_<metric>} (solid) and {@code validation_<metric>} (dashed) against epoch. */
    private static String chart(List<Run> runs, String metric, boolean logWhereUseful) {
        int maxEpoch = 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Run r : runs) {
            for (JsonNode e : r.epochs()) {
                maxEpoch = Math.max(maxEpoch, e.path("epoch").asInt());
                for (String split : new String[] {"train_", "validation_"}) {
                    JsonNode v = e.path(split + metric);
                    if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                        lo = Math.min(lo, v.doubleValue());
                        hi = Math.max(hi, v.doubleValue());
                    }
                }
            }
        }
        if (lo > hi) return "<p>No values recorded.</p>\n";
        boolean log = logWhereUseful && lo > 0 && hi / lo > 20;
        if (!log && lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        var axis = new Axis(log ? Math.log10(lo) : lo, log ? Math.log10(hi) : hi, maxEpoch, log);
        var svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + HEIGHT
                + "\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" role=\"img\" aria-label=\"" + metric + " against epoch\">\n");
        svg.append(axis.grid(metric));
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            for (String split : new String[] {"train_", "validation_"}) {
                String points = axis.points(r.epochs(), split + metric);
                if (points.isEmpty()) continue;
                svg.append("<polyline class=\"").append(split).append(metric).append("\" fill=\"none\" stroke=\"").append(colour(i))
                        .append("\" stroke-width=\"1.5\"").append(split.equals("validation_") ? " stroke-dasharray=\"5,3\"" : "")
                        .append(" points=\"").append(points).append("\"/>\n");
            }
            int stopped = r.summary().path("epochs").asInt();
            int kept = r.summary().path("kept_epoch").asInt();
            if (stopped > 0) {
                double x = axis.x(stopped);
                svg.append("<line class=\"stop\" x1=\"").append(f(x)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(f(x))
                        .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" stroke=\"").append(colour(i)).append("\" stroke-width=\"1\" opacity=\"0.6\">")
                        .append("<title>").append(escape(r.summary().path("status").asText() + " at epoch " + stopped + ": "
                                + r.summary().path("stop_reason").asText())).append("</title></line>\n");
            }
            for (JsonNode e : r.epochs()) {
                JsonNode v = e.path("train_" + metric);
                if (e.path("epoch").asInt() == kept && v.isNumber() && Double.isFinite(v.doubleValue())) {
                    svg.append("<circle class=\"kept\" cx=\"").append(f(axis.x(kept))).append("\" cy=\"").append(f(axis.y(v.doubleValue())))
                            .append("\" r=\"4\" fill=\"").append(colour(i)).append("\"><title>kept the weights of epoch ").append(kept)
                            .append("</title></circle>\n");
                }
            }
        }
        return svg.append("</svg>\n").toString();
    }

    /** Maps epochs and values to the plot area; {@code lo} and {@code hi} are log10 values on a log axis. */
    private record Axis(double lo, double hi, int maxEpoch, boolean log) {
        double x(int epoch) {
            return LEFT + (maxEpoch == 1 ? 0 : (epoch - 1) * (WIDTH - LEFT - RIGHT) / (double) (maxEpoch - 1));
        }

        double y(double value) {
            double v = log ? Math.log10(value) : value;
            return TOP + (hi - v) * (HEIGHT - TOP - BOTTOM) / (hi - lo == 0 ? 1 : hi - lo);
        }

        String points(List<JsonNode> epochs, String key) {
            var s = new StringBuilder();
            int step = Math.max(1, epochs.size() / MAX_POINTS);
            for (int i = 0; i < epochs.size(); i++) {
                if (i % step != 0 && i != epochs.size() - 1) continue;
                JsonNode v = epochs.get(i).path(key);
                if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || log && v.doubleValue() <= 0) continue;
                if (s.length() > 0) s.append(' ');
                s.append(f(x(epochs.get(i).path("epoch").asInt()))).append(',').append(f(y(v.doubleValue())));
            }
            return s.toString();
        }

        String grid(String metric) {
            var s = new StringBuilder();
            int bottom = HEIGHT - BOTTOM;
            s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(WIDTH - LEFT - RIGHT)
                    .append("\" height=\"").append(bottom - TOP).append("\" fill=\"none\" stroke=\"#999\"/>\n");
            for (int t = 0; t <= 4; t++) {
                double v = lo + (hi - lo) * t / 4;
                double y = TOP + (hi - v) * (bottom - TOP) / (hi - lo == 0 ? 1 : hi - lo);
                double label = log ? Math.pow(10, v) : v;
                s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(WIDTH - RIGHT)
                        .append("\" y2=\"").append(f(y)).append("\" stroke=\"#eee\"/>")
                        .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\">")
                        .append(String.format(Locale.ROOT, "%.3g", label)).append("</text>\n");
            }
            for (int t = 0; t <= 5; t++) {
                int epoch = 1 + (int) Math.round((maxEpoch - 1) * t / 5.0);
                double x = x(epoch);
                s.append("<text x=\"").append(f(x)).append("\" y=\"").append(bottom + 16).append("\" text-anchor=\"middle\">")
                        .append(epoch).append("</text>\n");
            }
            s.append("<text x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"").append(HEIGHT - 6)
                    .append("\" text-anchor=\"middle\">epoch</text>")
                    .append("<text x=\"14\" y=\"").append((TOP + bottom) / 2).append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                    .append((TOP + bottom) / 2).append(")\">").append(metric).append(log ? " (log scale)" : "").append("</text>\n");
            return s.toString();
        }
    }

    private static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String format(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return "-";
        if (v.isObject()) {
            var parts = new ArrayList<String>();
            v.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + format(e.getValue())));
            return String.join(", ", parts);
        }
        if (v.isFloatingPointNumber()) return String.format(Locale.ROOT, "%.6g", v.doubleValue());
        return v.asText();
    }

    public static String escape(String s) {
        return Objects.toString(s, "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
