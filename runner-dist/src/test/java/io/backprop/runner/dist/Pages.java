package io.backprop.runner.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What report.html and sweep.html hold: their JSON data block, read back as a browser's JSON.parse would. */
final class Pages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA = Pattern.compile("<script type=\"application/json\" id=\"page-data\">(.*?)</script>", Pattern.DOTALL);

    private Pages() {}

    static JsonNode data(String html) throws IOException {
        Matcher m = DATA.matcher(html);
        if (!m.find()) throw new AssertionError("no data block in the page");
        return JSON.readTree(m.group(1));
    }

    static JsonNode data(Path page) throws IOException {
        return data(Files.readString(page));
    }

    /**
     * A run of experiments/iris.yaml whose test split is a file of its own (every fifth flower, ten of each species),
     * its summary.json given that split's per-class metrics by {@link #addPerClassMetrics}.
     */
    static Path irisRun(Path runs) throws IOException {
        List<String> lines = Files.readAllLines(ExperimentsTest.EXPERIMENTS.resolve("data/iris/iris.csv"));
        List<String> train = new ArrayList<>(List.of(lines.get(0)));
        List<String> test = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) (i % 5 == 3 ? test : train).add(lines.get(i));
        Files.createDirectories(runs);
        Path trainFile = Files.write(runs.resolve("iris-train.csv"), train);
        Path testFile = Files.write(runs.resolve("iris-test.csv"), test);
        Cli cli = Cli.run(ExperimentsTest.EXPERIMENTS.resolve("iris.yaml").toString(), "--out", runs.toString(), "--quiet",
                "--set", "data.train.path=" + trainFile, "--set", "data.validation={split: 0.25}",
                "--set", "data.test={name: csv, path: " + JSON.writeValueAsString(testFile.toString()) + ", label: label}");
        if (cli.exitCode() != 0) throw new AssertionError(cli.err());
        Path run = ExperimentsTest.runDirectory(cli);
        addPerClassMetrics(run, testFile, "label");
        Cli report = Cli.run("report", run.toString());
        if (report.exitCode() != 0) throw new AssertionError(report.err());
        return run;
    }

    /**
     * Writes a test split's classes, confusion matrix and per-class table into a classification run's summary.json, as
     * SUMMARY-KEYS.md has them, from the run's own predictions of {@code csv} (its label column the truth).
     */
    // until summary.json carries per-class metrics
    static void addPerClassMetrics(Path run, Path csv, String labelColumn) throws IOException {
        Path predictions = run.resolve("predictions.csv");
        Cli cli = Cli.run("predict", run.toString(), "--input=" + csv, "--output=" + predictions);
        if (cli.exitCode() != 0) throw new AssertionError(cli.err());
        List<String> classes = new ArrayList<>();
        JSON.readTree(run.resolve("model.json").toFile()).path("classes").forEach(c -> classes.add(c.asText()));
        var reader = new com.fasterxml.jackson.dataformat.csv.CsvMapper().readerForListOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY);
        List<List<String>> truth = new ArrayList<>();
        try (var it = reader.<List<String>>readValues(csv.toFile())) {
            it.forEachRemaining(truth::add);
        }
        List<List<String>> predicted = new ArrayList<>();
        try (var it = reader.<List<String>>readValues(predictions.toFile())) {
            it.forEachRemaining(predicted::add);
        }
        int label = truth.get(0).indexOf(labelColumn);
        int n = classes.size();
        long[][] matrix = new long[n][n];
        for (int i = 1; i < truth.size(); i++) {
            matrix[classes.indexOf(truth.get(i).get(label))][classes.indexOf(predicted.get(i).get(0))]++;
        }
        ObjectNode test = (ObjectNode) JSON.readTree(run.resolve("summary.json").toFile()).path("test");
        ObjectNode summary = (ObjectNode) JSON.readTree(run.resolve("summary.json").toFile());
        test.put("examples", truth.size() - 1);
        var names = test.putArray("classes");
        classes.forEach(names::add);
        var rows = test.putArray("confusion_matrix");
        var perClass = test.putArray("per_class");
        for (int r = 0; r < n; r++) {
            var row = rows.addArray();
            long support = 0;
            long column = 0;
            for (int c = 0; c < n; c++) {
                row.add(matrix[r][c]);
                support += matrix[r][c];
                column += matrix[c][r];
            }
            ObjectNode entry = perClass.addObject().put("class", classes.get(r));
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("precision", column == 0 ? null : matrix[r][r] / (double) column);
            values.put("recall", support == 0 ? null : matrix[r][r] / (double) support);
            Double p = values.get("precision");
            Double q = values.get("recall");
            values.put("f1", p == null || q == null || p + q == 0 ? null : 2 * p * q / (p + q));
            values.forEach((k, v) -> {
                if (v == null) entry.putNull(k);
                else entry.put(k, v);
            });
            entry.put("support", support);
        }
        summary.set("test", test);
        Files.writeString(run.resolve("summary.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        Files.delete(predictions);
    }
}
