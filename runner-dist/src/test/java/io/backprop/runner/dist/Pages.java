package io.backprop.runner.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What report.html and sweep.html hold: their JSON data block, read back as a browser's JSON.parse would. */
final class Pages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA =
            Pattern.compile("<script type=\"application/json\" id=\"page-data\">(.*?)</script>", Pattern.DOTALL);

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
     * A run of experiments/iris.yaml whose test split is a file of its own (every fifth flower, ten of each species).
     */
    static Path irisRun(Path runs) throws IOException {
        List<String> lines = Files.readAllLines(ExperimentsTest.EXPERIMENTS.resolve("data/iris/iris.csv"));
        List<String> train = new ArrayList<>(List.of(lines.get(0)));
        List<String> test = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) (i % 5 == 3 ? test : train).add(lines.get(i));
        Files.createDirectories(runs);
        Path trainFile = Files.write(runs.resolve("iris-train.csv"), train);
        Path testFile = Files.write(runs.resolve("iris-test.csv"), test);
        Cli cli = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("iris.yaml").toString(),
                "--out",
                runs.toString(),
                "--quiet",
                "--set",
                "data.train.path=" + trainFile,
                "--set",
                "data.validation={split: 0.25}",
                "--set",
                "data.test={name: csv, path: " + JSON.writeValueAsString(testFile.toString()) + ", label: label}");
        if (cli.exitCode() != 0) throw new AssertionError(cli.err());
        Path run = ExperimentsTest.runDirectory(cli);
        return run;
    }
}
