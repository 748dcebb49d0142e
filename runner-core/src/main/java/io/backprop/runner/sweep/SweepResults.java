package io.backprop.runner.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backprop.runner.run.AtomicFile;
import io.backprop.runner.run.Page;
import io.backprop.runner.run.Report;
import io.backprop.runner.spec.SweepPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * sweep.csv (a row per trial) and sweep.html, built from the trial directories alone. The page answers the study's
 * question: the points ranked by the objective (mean, spread over the repeats), the objective against each swept
 * parameter, parallel coordinates for two or more, and each point's learning curves as a mean line and a band.
 */
public final class SweepResults {
    /** Distinct colours for points with no order among them (Tableau 10), then hues spaced around the wheel. */
    private static final String[] PALETTE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    };

    private static final int[][] VIRIDIS = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

    private SweepResults() {}

    /** A point's objective over its finished repeats. */
    record Point(int index, String label, List<Double> values) {
        double mean() {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double std() {
            double m = mean();
            return values.size() < 2
                    ? 0
                    : Math.sqrt(
                            values.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / (values.size() - 1));
        }

        double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    /** What was collected: how many trials had finished, and the points ranked best first as a terminal table. */
    public record Collected(int finished, List<String> table) {}

    /** Writes sweep.csv and sweep.html in {@code directory}. */
    public static Collected write(SweepPlan plan, Path directory) throws IOException {
        List<List<Report.Run>> runsByPoint = new ArrayList<>();
        List<Report.Run> runs = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        var csv = new StringBuilder("trial,point,repeat,seed");
        for (String p : plan.parameters()) csv.append(',').append(quote(p));
        csv.append(
                ",status,epochs,kept_epoch,train_loss,train_metric,validation_loss,validation_metric,test_loss,test_metric,objective\n");
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            var trial = plan.trial(i);
            if (trial.repeat() == 0) {
                points.add(new Point(trial.point(), label(trial.values()), new ArrayList<>()));
                runsByPoint.add(new ArrayList<>());
            }
            Path dir = directory.resolve(SweepRunner.trialName(i));
            if (!Files.isRegularFile(dir.resolve("summary.json"))) continue;
            Report.Run run = Report.read(dir, dir.toString());
            runs.add(run);
            runsByPoint.get(trial.point()).add(run);
            seeds.add(trial.seed());
            JsonNode s = run.summary();
            csv.append(i)
                    .append(',')
                    .append(trial.point())
                    .append(',')
                    .append(trial.repeat())
                    .append(',')
                    .append(trial.seed());
            for (String p : plan.parameters())
                csv.append(',').append(quote(trial.values().get(p)));
            csv.append(',')
                    .append(s.path("status").asText())
                    .append(',')
                    .append(s.path("epochs").asInt())
                    .append(',')
                    .append(s.path("kept_epoch").asInt());
            for (String split : new String[] {"train", "validation", "test"}) {
                JsonNode m = s.path(split);
                csv.append(',')
                        .append(number(m.path("loss")))
                        .append(',')
                        .append(number(m.has("accuracy") ? m.path("accuracy") : m.path("rmse")));
            }
            double objective = objective(s, plan.objective().metric());
            csv.append(',')
                    .append(Double.isNaN(objective) ? "" : Double.toString(objective))
                    .append('\n');
            if (!Double.isNaN(objective)) points.get(trial.point()).values().add(objective);
        }
        List<Point> ranked = ranked(plan, points);
        Files.writeString(directory.resolve("sweep.csv"), csv, StandardCharsets.UTF_8);
        AtomicFile.writeString(directory.resolve("sweep.html"), html(plan, points, ranked, runsByPoint, runs));
        return new Collected(runs.size(), table(plan, points, ranked));
    }

    static double objective(JsonNode summary, String metric) {
        JsonNode v = summary;
        for (String part : metric.split("\\.")) v = v.path(part);
        return v.isNumber() ? v.doubleValue() : Double.NaN;
    }

    private static String label(Map<String, String> values) {
        var parts = new ArrayList<String>();
        values.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    /** The points with a finished repeat, best first (ties: the lower point first), then those without. */
    private static List<Point> ranked(SweepPlan plan, List<Point> points) {
        Comparator<Point> order = Comparator.comparingDouble(Point::mean);
        if (!plan.objective().minimize()) order = order.reversed();
        List<Point> sorted = new ArrayList<>(points.stream()
                .filter(p -> !p.values().isEmpty())
                .sorted(order.thenComparingInt(Point::index))
                .toList());
        points.stream().filter(p -> p.values().isEmpty()).forEach(sorted::add);
        return sorted;
    }

    private static Map<String, String> values(SweepPlan plan, Point p) {
        return plan.trial(p.index() * plan.repeats()).values();
    }

    /** The ranked points as aligned columns, best first, for the terminal. */
    static List<String> table(SweepPlan plan, List<Point> points, List<Point> ranked) {
        List<String> header = new ArrayList<>(List.of("rank", "point"));
        header.addAll(plan.parameters());
        String metric = plan.objective().metric();
        header.addAll(
                List.of(metric + (plan.objective().minimize() ? " (min)" : " (max)"), "sd", "min", "max", "repeats"));
        List<List<String>> rows = new ArrayList<>();
        int rank = 0;
        for (Point p : ranked) {
            List<String> row = new ArrayList<>();
            row.add(p.values().isEmpty() ? "-" : Integer.toString(++rank));
            row.add(Integer.toString(p.index()));
            Map<String, String> values = values(plan, p);
            for (String name : plan.parameters()) row.add(values.get(name));
            boolean any = !p.values().isEmpty();
            row.add(any ? Page.format(p.mean()) : "-");
            row.add(p.values().size() > 1 ? Page.format(p.std()) : "-");
            row.add(any ? Page.format(p.min()) : "-");
            row.add(any ? Page.format(p.max()) : "-");
            row.add(p.values().size() + "/" + plan.repeats());
            rows.add(row);
        }
        int columns = header.size();
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = header.get(c).length();
            numeric[c] = true;
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                if (!row.get(c).equals("-") && !row.get(c).matches("[-+0-9.eE/]+")) numeric[c] = false;
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(header, width, numeric));
        rows.forEach(r -> lines.add(line(r, width, numeric)));
        return lines;
    }

    private static String line(List<String> cells, int[] width, boolean[] numeric) {
        var s = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) s.append("  ");
            String cell = cells.get(c).replaceAll("\\p{Cntrl}", "?");
            String pad = " ".repeat(Math.max(0, width[c] - cell.length()));
            s.append(numeric[c] ? pad + cell : c == cells.size() - 1 ? cell : cell + pad);
        }
        return s.toString().stripTrailing();
    }

    private static String html(
            SweepPlan plan,
            List<Point> points,
            List<Point> ranked,
            List<List<Report.Run>> runsByPoint,
            List<Report.Run> runs) {
        var o = plan.objective();
        List<Parameter> parameters = parameters(plan, points);
        String[] colours = colours(plan, points, parameters);
        String title = "Sweep of " + plan.experiment() + " (" + plan.directoryName() + ")";
        var body = new StringBuilder("<header><h1>")
                .append(Page.escape(title))
                .append("</h1>\n<p class=\"sub\">")
                .append(plan.size())
                .append(" trials: ")
                .append(points.size())
                .append(points.size() == 1 ? " point" : " points")
                .append(" × ")
                .append(plan.repeats())
                .append(plan.repeats() == 1 ? " repeat" : " repeats")
                .append(" (seeds); ")
                .append(runs.size())
                .append(" finished. Objective: ")
                .append(o.minimize() ? "minimize " : "maximize ")
                .append(Page.escape(o.metric()))
                .append(".</p></header>\n");
        Point best = ranked.isEmpty() || ranked.get(0).values().isEmpty() ? null : ranked.get(0);
        if (best != null) {
            body.append("<p class=\"best-line\"><b>Best: point ")
                    .append(best.index())
                    .append(", ")
                    .append(Page.escape(best.label()))
                    .append(": ")
                    .append(Page.escape(o.metric()))
                    .append(' ')
                    .append(Page.format(best.mean()))
                    .append(
                            best.values().size() > 1
                                    ? " (sd " + Page.format(best.std()) + " over "
                                            + best.values().size() + " repeats)"
                                    : "")
                    .append("</b></p>\n");
        }
        body.append(
                "<section class=\"ranked\"><h2>Points, best first</h2>\n<div class=\"scroll\"><table class=\"numbers\"><thead><tr><th>rank</th><th>point</th>");
        for (String p : plan.parameters())
            body.append("<th>").append(Page.escape(p)).append("</th>");
        body.append("<th>")
                .append(Page.escape(o.metric()))
                .append(" mean</th><th>sd</th><th>min</th><th>max</th><th>repeats</th></tr></thead><tbody>\n");
        int rank = 0;
        for (Point p : ranked) {
            boolean any = !p.values().isEmpty();
            body.append(p == best ? "<tr class=\"best\">" : "<tr>")
                    .append("<td>")
                    .append(any ? Integer.toString(++rank) : "–")
                    .append("</td><td>")
                    .append("<span class=\"swatch\" style=\"background:")
                    .append(colours[p.index()])
                    .append("\"></span>")
                    .append(p.index())
                    .append("</td>");
            Map<String, String> values = values(plan, p);
            for (String name : plan.parameters())
                body.append("<td>").append(Page.escape(values.get(name))).append("</td>");
            body.append("<td>")
                    .append(any ? Page.format(p.mean()) : "–")
                    .append("</td><td>")
                    .append(p.values().size() > 1 ? Page.format(p.std()) : "–")
                    .append("</td><td>")
                    .append(any ? Page.format(p.min()) : "–")
                    .append("</td><td>")
                    .append(any ? Page.format(p.max()) : "–")
                    .append("</td><td>")
                    .append(p.values().size())
                    .append('/')
                    .append(plan.repeats())
                    .append("</td></tr>\n");
        }
        body.append("</tbody></table></div></section>\n");
        if (best != null) {
            body.append("<section><h2>")
                    .append(Page.escape(o.metric()))
                    .append(" against each swept parameter</h2>\n")
                    .append(
                            "<p class=\"hint\">Each mark is a point's mean over its repeats; the whiskers span the lowest to the highest repeat.")
                    .append(plan.parameters().size() > 1 ? " A line per combination of the other parameters." : "")
                    .append("</p>\n")
                    .append("<div id=\"objective\" class=\"charts\"></div></section>\n");
            if (plan.parameters().size() >= 2) {
                body.append("<section><h2>Parallel coordinates</h2>\n<div id=\"parallel\"></div></section>\n");
            }
        }
        if (!runs.isEmpty()) {
            body.append(
                    "<section class=\"curves\"><h2>Learning curves per point</h2>\n<p class=\"hint\">A point's mean over its repeats, with a band"
                            + " from the lowest to the highest; hover for the values at an epoch, drag to zoom, double-click to reset, click a legend"
                            + " entry to hide that point.</p>\n<div id=\"curves\" class=\"charts\"></div></section>\n");
        }
        ObjectNode data = Page.object().put("kind", "sweep");
        data.putObject("objective").put("metric", o.metric()).put("minimize", o.minimize());
        ArrayNode params = data.putArray("parameters");
        for (Parameter p : parameters) {
            ObjectNode node = params.addObject().put("name", p.name()).put("scale", p.scale());
            if (p.scale().equals("asinh")) node.put("asinh", p.asinh());
            ArrayNode values = node.putArray("values");
            p.values().forEach(v -> {
                if (p.scale().equals("category")) values.add(v);
                else values.add(Double.parseDouble(v));
            });
        }
        ArrayNode pointNodes = data.putArray("points");
        for (Point p : points) {
            ObjectNode node = pointNodes
                    .addObject()
                    .put("index", p.index())
                    .put("label", p.label())
                    .put("colour", colours[p.index()]);
            ObjectNode values = node.putObject("values");
            Map<String, String> swept = values(plan, p);
            for (Parameter param : parameters) {
                if (param.scale().equals("category")) values.put(param.name(), swept.get(param.name()));
                else values.put(param.name(), Double.parseDouble(swept.get(param.name())));
            }
            ArrayNode objectives = node.putArray("objectives");
            p.values().forEach(objectives::add);
            node.set("mean", Page.number(p.mean()));
            node.set("std", Page.number(p.std()));
            node.set("min", Page.number(p.min()));
            node.set("max", Page.number(p.max()));
            ArrayNode repeats = node.putArray("repeats");
            for (Report.Run run : runsByPoint.get(p.index())) {
                ObjectNode r = repeats.addObject()
                        .put("seed", run.summary().path("seed").asLong());
                ArrayNode epochs = r.putArray("epochs");
                run.epochs().forEach(e -> epochs.add(e.path("epoch").asInt()));
                ObjectNode series = r.putObject("series");
                for (String split : List.of("train", "validation")) {
                    for (String metric : List.of("loss", Report.secondMetric(runs))) {
                        String key = split + "_" + metric;
                        if (run.epochs().stream().noneMatch(e -> e.path(key).isNumber())) continue;
                        ArrayNode column = series.putArray(key);
                        run.epochs()
                                .forEach(e -> column.add(Page.number(e.path(key).asDouble(Double.NaN))));
                    }
                }
            }
        }
        data.set("charts", runs.isEmpty() ? Page.array() : Report.charts(runs));
        return Page.document(title, body.toString(), data);
    }

    /** A swept parameter and how its values lie on an axis: numbers (linear, log or asinh) or categories. */
    record Parameter(String name, List<String> values, String scale, double asinh) {}

    static List<Parameter> parameters(SweepPlan plan, List<Point> points) {
        List<Parameter> out = new ArrayList<>();
        for (String name : plan.parameters()) {
            List<String> values = new ArrayList<>();
            for (Point p : points) {
                String v = values(plan, p).get(name);
                if (!values.contains(v)) values.add(v);
            }
            boolean numeric = values.stream().allMatch(SweepResults::isNumber);
            if (!numeric) {
                out.add(new Parameter(name, values, "category", 0));
                continue;
            }
            values.sort(Comparator.comparingDouble(Double::parseDouble));
            double[] nums = values.stream().mapToDouble(Double::parseDouble).toArray();
            double min = nums[0];
            double max = nums[nums.length - 1];
            double minPositive =
                    java.util.Arrays.stream(nums).filter(v -> v > 0).min().orElse(0);
            String scale = min > 0 && max / min >= 100
                    ? "log"
                    // 0 beside values spanning decades: log-like past the smallest positive value, linear through 0.
                    : min == 0 && minPositive > 0 && max / minPositive >= 100 ? "asinh" : "linear";
            out.add(new Parameter(name, values, scale, scale.equals("asinh") ? minPositive : 0));
        }
        return out;
    }

    private static boolean isNumber(String v) {
        try {
            return Double.isFinite(Double.parseDouble(v.strip()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A colour per point: a dark-to-light ramp along one numeric parameter, else distinct hues. */
    private static String[] colours(SweepPlan plan, List<Point> points, List<Parameter> parameters) {
        String[] colours = new String[points.size()];
        boolean ordered = parameters.size() == 1
                && !parameters.get(0).scale().equals("category")
                && parameters.get(0).values().size() > 1;
        for (Point p : points) {
            if (ordered) {
                Parameter param = parameters.get(0);
                int rank = param.values().indexOf(values(plan, p).get(param.name()));
                colours[p.index()] = viridis(0.8 * rank / (param.values().size() - 1));
            } else if (p.index() < PALETTE.length) {
                colours[p.index()] = PALETTE[p.index()];
            } else {
                colours[p.index()] = hue((p.index() * 0.618034) % 1);
            }
        }
        return colours;
    }

    /** A colour of hue {@code h} (0 to 1) at saturation 0.75 and value 0.8. */
    private static String hue(double h) {
        double v = 0.8;
        double c = v * 0.75;
        double x = c * (1 - Math.abs((h * 6) % 2 - 1));
        double[][] sextants = {{c, x, 0}, {x, c, 0}, {0, c, x}, {0, x, c}, {x, 0, c}, {c, 0, x}};
        double[] rgb = sextants[Math.min(5, (int) (h * 6))];
        double m = v - c;
        return String.format(
                Locale.ROOT,
                "#%02x%02x%02x",
                Math.round((rgb[0] + m) * 255),
                Math.round((rgb[1] + m) * 255),
                Math.round((rgb[2] + m) * 255));
    }

    private static String viridis(double t) {
        double s = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) s);
        double f = s - i;
        int[] c = new int[3];
        for (int k = 0; k < 3; k++) c[k] = (int) Math.round(VIRIDIS[i][k] + (VIRIDIS[i + 1][k] - VIRIDIS[i][k]) * f);
        return String.format(Locale.ROOT, "#%02x%02x%02x", c[0], c[1], c[2]);
    }

    private static String number(JsonNode v) {
        return v.isNumber() ? Double.toString(v.doubleValue()) : "";
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
