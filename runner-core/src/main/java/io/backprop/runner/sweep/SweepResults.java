package io.backprop.runner.sweep;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * sweep.csv (a row per trial) and sweep.html (the points sorted by the objective, mean and standard deviation over
 * the repeats, the best one named, and every trial's learning curves), built from the trial directories alone.
 */
public final class SweepResults {
    private SweepResults() {}

    /** A point's objective over its finished repeats. */
    record Point(int index, String label, List<Double> values) {
        double mean() {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double std() {
            double m = mean();
            return values.size() < 2 ? 0 : Math.sqrt(values.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / (values.size() - 1));
        }
    }

    /** Writes sweep.csv and sweep.html in {@code directory}; returns how many trials had finished. */
    public static int write(SweepPlan plan, Path directory) throws IOException {
        List<Report.Run> runs = new ArrayList<>();
        var csv = new StringBuilder("trial,point,repeat,seed");
        for (String p : plan.parameters()) csv.append(',').append(quote(p));
        csv.append(",status,epochs,kept_epoch,train_loss,train_metric,validation_loss,validation_metric,test_loss,test_metric,objective\n");
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            var trial = plan.trial(i);
            if (trial.repeat() == 0) points.add(new Point(trial.point(), trial.values().toString(), new ArrayList<>()));
            Path dir = directory.resolve(SweepRunner.trialName(i));
            if (!Files.isRegularFile(dir.resolve("summary.json"))) continue;
            Report.Run run = Report.read(dir, dir.toString());
            runs.add(run);
            JsonNode s = run.summary();
            csv.append(i).append(',').append(trial.point()).append(',').append(trial.repeat()).append(',').append(trial.seed());
            for (String p : plan.parameters()) csv.append(',').append(quote(trial.values().get(p)));
            csv.append(',').append(s.path("status").asText()).append(',').append(s.path("epochs").asInt()).append(',').append(s.path("kept_epoch").asInt());
            for (String split : new String[] {"train", "validation", "test"}) {
                JsonNode m = s.path(split);
                csv.append(',').append(number(m.path("loss"))).append(',').append(number(m.has("accuracy") ? m.path("accuracy") : m.path("rmse")));
            }
            double objective = objective(s, plan.objective().metric());
            csv.append(',').append(Double.isNaN(objective) ? "" : Double.toString(objective)).append('\n');
            if (!Double.isNaN(objective)) points.get(trial.point()).values().add(objective);
        }
        Files.writeString(directory.resolve("sweep.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("sweep.html"), html(plan, points, runs), StandardCharsets.UTF_8);
        return runs.size();
    }

    static double objective(JsonNode summary, String metric) {
        JsonNode v = summary;
        for (String part : metric.split("\\.")) v = v.path(part);
        return v.isNumber() ? v.doubleValue() : Double.NaN;
    }

    private static String html(SweepPlan plan, List<Point> points, List<Report.Run> runs) {
        var o = plan.objective();
        Comparator<Point> order = Comparator.comparingDouble(Point::mean);
        List<Point> sorted = new ArrayList<>(points.stream().filter(p -> !p.values().isEmpty()).toList());
        sorted.sort(o.minimize() ? order : order.reversed());
        var t = new StringBuilder();
        t.append("<p>").append(plan.size()).append(" trials: ").append(points.size()).append(" points x ").append(plan.repeats())
                .append(" repeats (seeds); ").append(runs.size()).append(" finished. Objective: ").append(o.minimize() ? "minimize " : "maximize ")
                .append(o.metric()).append(".</p>\n");
        if (!sorted.isEmpty()) {
            t.append("<p><b>Best: point ").append(sorted.get(0).index()).append(", ").append(Report.escape(sorted.get(0).label())).append(", ")
                    .append(o.metric()).append(' ').append(String.format(Locale.ROOT, "%.6g", sorted.get(0).mean())).append("</b></p>\n");
        }
        t.append("<h2>Points, best first</h2>\n<table><tr><th>point</th>");
        for (String p : plan.parameters()) t.append("<th>").append(Report.escape(p)).append("</th>");
        t.append("<th>").append(Report.escape(o.metric())).append(" mean</th><th>std</th><th>repeats</th></tr>\n");
        for (Point p : sorted) {
            t.append("<tr><td>").append(p.index()).append("</td>");
            var values = plan.trial(p.index() * plan.repeats()).values();
            for (String name : plan.parameters()) t.append("<td>").append(Report.escape(values.get(name))).append("</td>");
            t.append(String.format(Locale.ROOT, "<td>%.6g</td><td>%.3g</td><td>%d</td></tr>%n", p.mean(), p.std(), p.values().size()));
        }
        t.append("</table>\n");
        if (runs.isEmpty()) {
            return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep</title></head><body>" + t + "</body></html>\n";
        }
        return Report.html(runs, "Sweep of " + plan.experiment() + " (" + plan.directoryName() + ")", t.toString());
    }

    private static String number(JsonNode v) {
        return v.isNumber() ? Double.toString(v.doubleValue()) : "";
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
