package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A network with scale layers ({@code kind: scale}), end to end: trained, saved, evaluated, predicted, on any thread count. */
public class ScaleLayerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path experiment(Path dir) throws Exception {
        return Files.writeString(dir.resolve("scaled.yaml"), """
                name: scaled
                seed: 3
                data:
                  train: {name: csv, path: %s, label: label}
                  test: {split: 0.2}
                  preprocess: [standardize]
                model:
                  layers:
                    - {kind: scale}
                    - {units: 8, activation: tanh}
                    - {kind: scale, activation: tanh}
                    - {units: 3, activation: softmax}
                  initializer: xavier-uniform
                cost: cross-entropy
                training:
                  optimizer: adam
                  batch_size: 8
                  max_epochs: 30
                """.formatted(
                ExperimentsTest.EXPERIMENTS.resolve("data/iris/iris.csv").toAbsolutePath()));
    }

    private static Path run(Path file, Path out, String... settings) {
        List<String> args = new ArrayList<>(List.of(file.toString(), "--out", out.toString(), "--quiet"));
        for (String s : settings) args.addAll(List.of("--set", s));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        return ExperimentsTest.runDirectory(cli);
    }

    /** metrics.jsonl without its timings and speeds. */
    private static List<JsonNode> metrics(Path run) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode m = (ObjectNode) JSON.readTree(line);
            m.remove(List.of("seconds", "examples_per_second"));
            lines.add(m);
        }
        return lines;
    }

    @Test
    void trainsToTheSameBitsOnOneThreadAndOnFour(@TempDir Path dir) throws Exception {
        Path file = experiment(dir);
        Path one = run(file, dir.resolve("one"), "training.threads=1");
        Path four = run(file, dir.resolve("four"), "training.threads=4");
        assertEquals(metrics(one), metrics(four));
        assertEquals(
                JSON.readTree(one.resolve("model.json").toFile()).get("layers"),
                JSON.readTree(four.resolve("model.json").toFile()).get("layers"));
    }

    @Test
    void modelJsonKeepsGammaAndEvaluateAndPredictReadIt(@TempDir Path dir) throws Exception {
        Path run = run(experiment(dir), dir.resolve("runs"));
        JsonNode layers = JSON.readTree(run.resolve("model.json").toFile()).get("layers");
        assertEquals("scale", layers.get(0).get("kind").asText());
        assertEquals(4, layers.get(0).get("units").asInt());
        assertEquals("identity", layers.get(0).get("activation").get("name").asText());
        assertEquals(4, layers.get(0).get("gamma").size());
        assertNotEquals(1.0, layers.get(0).get("gamma").get(0).asDouble(), "gamma was trained from 1");
        assertEquals("tanh", layers.get(2).get("activation").get("name").asText());
        assertTrue(layers.get(1).has("weights") && !layers.get(1).has("kind"), "a dense layer as before");
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("kind: scale"));

        JsonNode test = JSON.readTree(run.resolve("summary.json").toFile()).get("test");
        Cli evaluate = Cli.run("evaluate", run.toString(), "--json");
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertEquals(
                test.get("loss").doubleValue(),
                JSON.readTree(evaluate.out()).get("loss").doubleValue(),
                1e-12);

        Path input = Files.writeString(
                dir.resolve("in.csv"),
                "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");
        Cli predict = Cli.run(
                "predict",
                run.toString(),
                "--input",
                input.toString(),
                "--output",
                dir.resolve("out.csv").toString());
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(3, Files.readAllLines(dir.resolve("out.csv")).size());
    }

    @Test
    void aScaleLayerTakesItsWidthFromTheLayerBelow(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("bad.yaml"),
                Files.readString(experiment(dir)).replace("{kind: scale}", "{kind: scale, units: 4}"));
        Cli cli = Cli.run("validate", file.toString());
        assertEquals(2, cli.exitCode());
        assertTrue(
                cli.err()
                        .startsWith(
                                file + ":9:21: model.layers[0].units: unknown key 'units' (known: activation, kind)"),
                cli.err());
    }
}
