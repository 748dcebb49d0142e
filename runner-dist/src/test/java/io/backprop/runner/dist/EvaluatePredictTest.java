package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate and predict work from what model.json stores: preprocessing, input columns, classes. */
class EvaluatePredictTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path IRIS_CSV = ExperimentsTest.EXPERIMENTS
            .resolve("data/iris/iris.csv")
            .toAbsolutePath()
            .normalize();
    private static final String HEADER = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,label";

    @TempDir
    static Path shared;

    private static Path iris;

    @BeforeAll
    static void trainIris() {
        iris = train(ExperimentsTest.EXPERIMENTS.resolve("iris.yaml"), shared.resolve("runs"));
    }

    private static Path train(Path experiment, Path out) {
        Cli cli = Cli.run(experiment.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, cli.exitCode(), cli.err());
        return Path.of(cli.outLines().get(0));
    }

    /** A copy of the shared iris run, to change. */
    private static Path copyOfIris(Path dir) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("iris-copy"));
        try (var files = Files.list(iris)) {
            for (Path f : files.toList()) if (Files.isRegularFile(f)) Files.copy(f, copy.resolve(f.getFileName()));
        }
        return copy;
    }

    private static JsonNode json(Cli cli) throws Exception {
        assertEquals(0, cli.exitCode(), cli.err());
        return JSON.readTree(cli.out());
    }

    /** The iris rows whose label is one of {@code labels}, under {@code header}'s column order. */
    private static Path irisRows(Path dir, String name, String header, String... labels) throws Exception {
        List<String> wanted = List.of(labels);
        List<String> names = List.of(HEADER.split(","));
        int[] order = Arrays.stream(header.split(",")).mapToInt(names::indexOf).toArray();
        List<String> lines = new ArrayList<>(List.of(header));
        for (String line : Files.readAllLines(IRIS_CSV).subList(1, 151)) {
            String[] cells = line.split(",");
            if (!wanted.contains(cells[4])) continue;
            lines.add(Arrays.stream(order).mapToObj(i -> cells[i]).collect(Collectors.joining(",")));
        }
        return Files.write(dir.resolve(name), lines);
    }

    @Test
    void evaluateAppliesThePreprocessingModelJsonStoresRatherThanFittingItAgain(@TempDir Path dir) throws Exception {
        Path run = copyOfIris(dir);
        JsonNode test = JSON.readTree(run.resolve("summary.json").toFile()).get("test");
        assertEquals(
                test.get("loss").doubleValue(),
                json(Cli.run("evaluate", run.toString(), "--json")).get("loss").doubleValue());

        ObjectNode model = (ObjectNode) JSON.readTree(run.resolve("model.json").toFile());
        ArrayNode std = (ArrayNode) model.get("preprocess").get(0).get("state").get("std");
        for (int i = 0; i < std.size(); i++) std.set(i, std.get(i).doubleValue() * 2);
        JSON.writeValue(run.resolve("model.json").toFile(), model);
        JsonNode halved = json(Cli.run("evaluate", run.toString(), "--json", "--split", "test"));
        assertEquals(30, halved.get("examples").intValue(), "the same split, drawn from the seed");
        assertNotEquals(
                test.get("loss").doubleValue(),
                halved.get("loss").doubleValue(),
                "inputs scaled by the stored state, not by one fitted again from the data");
    }

    @Test
    void evaluateOnOtherDataNeedsNoneOfTheRunsOwnDataFiles(@TempDir Path dir) throws Exception {
        Path data = Files.copy(IRIS_CSV, dir.resolve("flowers.csv"));
        String yaml = Files.readString(ExperimentsTest.EXPERIMENTS.resolve("iris.yaml"))
                .replace("data/iris/iris.csv", "flowers.csv");
        Path run = train(Files.writeString(dir.resolve("iris.yaml"), yaml), dir.resolve("runs"));
        Path moved = Files.move(data, dir.resolve("moved.csv"));

        JsonNode bare = json(Cli.run("evaluate", run.toString(), "--data", moved.toString(), "--json"));
        assertEquals(150, bare.get("examples").intValue());
        JsonNode yamlForm = json(Cli.run(
                "evaluate", run.toString(), "--data", "{name: csv, path: " + moved + ", label: label}", "--json"));
        assertEquals(bare.get("loss").doubleValue(), yamlForm.get("loss").doubleValue());

        Cli split = Cli.run("evaluate", run.toString());
        assertEquals(2, split.exitCode(), "the split needs the training file: " + split.err());
        assertTrue(split.err().contains("no such file: " + dir.resolve("flowers.csv")), split.err());
    }

    @Test
    void aBareCsvPathIsReadWithTheRunsLabelColumnAndItsInputsTakenByName(@TempDir Path dir) throws Exception {
        JsonNode inOrder = json(Cli.run("evaluate", iris.toString(), "--data", IRIS_CSV.toString(), "--json"));
        assertEquals(150, inOrder.get("examples").intValue());
        assertEquals(IRIS_CSV.toString(), inOrder.get("data").asText());
        // The label first and the inputs shuffled: "the last column" or inputs by position would both go wrong.
        Path shuffled = irisRows(
                dir, "shuffled", "label,petal_width_cm,sepal_length_cm,petal_length_cm,sepal_width_cm", "0", "1", "2");
        JsonNode byName = json(Cli.run("evaluate", iris.toString(), "--data", shuffled.toString(), "--json"));
        assertEquals(inOrder.get("loss").doubleValue(), byName.get("loss").doubleValue());
        assertEquals(
                inOrder.get("accuracy").doubleValue(), byName.get("accuracy").doubleValue());

        Path missing = Files.writeString(
                dir.resolve("missing.csv"), "sepal_length_cm,sepal_width_cm,petal_length_cm,label\n1,2,3,0\n");
        Cli bad = Cli.run("evaluate", iris.toString(), "--data", missing.toString());
        assertEquals(2, bad.exitCode());
        assertEquals(
                List.of("--data: missing column 'petal_width_cm'; expected columns sepal_length_cm, sepal_width_cm,"
                        + " petal_length_cm, petal_width_cm (a label column 'label' is ignored)"),
                bad.errLines());
    }

    @Test
    void labelsAreMappedThroughTheModelsClassesWhicheverOfThemAFileHolds(@TempDir Path dir) throws Exception {
        // One class only: accuracy is the share of its rows predicted as that class.
        Path virginica = irisRows(dir, "virginica.csv", HEADER, "2");
        JsonNode one = json(Cli.run("evaluate", iris.toString(), "--data", virginica.toString(), "--json"));
        assertEquals(50, one.get("examples").intValue());
        Cli predicted = Cli.run("predict", iris.toString(), "--input", virginica.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        long asVirginica = predicted.outLines().stream()
                .skip(1)
                .filter(l -> l.startsWith("2,"))
                .count();
        assertEquals(asVirginica / 50.0, one.get("accuracy").doubleValue());
        assertTrue(asVirginica > 40, "a virginica is mostly taken for one: " + asVirginica);

        // Two of the three: a source that numbered its own classes would call "1" class 0.
        Path two = irisRows(dir, "two.csv", HEADER, "1", "2");
        JsonNode some = json(Cli.run("evaluate", iris.toString(), "--data", two.toString(), "--json"));
        assertEquals(100, some.get("examples").intValue());
        assertTrue(some.get("accuracy").doubleValue() > 0.9, some.toString());

        Path unknown =
                Files.writeString(dir.resolve("unknown.csv"), HEADER + "\n5.1,3.5,1.4,0.2,0\n6.7,3.0,5.2,2.3,7\n");
        Cli bad = Cli.run("evaluate", iris.toString(), "--data", unknown.toString());
        assertEquals(2, bad.exitCode());
        assertEquals(
                List.of("--data: " + unknown + ":3:17: label '7' is not one of the trained classes (0, 1, 2)"),
                bad.errLines());
    }

    @Test
    void aTestSetOfItsOwnMayHoldSomeOfTheTrainingClasses(@TempDir Path dir) throws Exception {
        Path virginica = irisRows(dir, "virginica.csv", HEADER, "2");
        String yaml = Files.readString(ExperimentsTest.EXPERIMENTS.resolve("iris.yaml"))
                .replace("data/iris/iris.csv", IRIS_CSV.toString())
                .replace("test: {split: 0.2}", "test: {name: csv, path: " + virginica + "}");
        Path run = train(Files.writeString(dir.resolve("iris.yaml"), yaml), dir.resolve("runs"));
        JsonNode test = JSON.readTree(run.resolve("summary.json").toFile()).get("test");
        JsonNode again = json(Cli.run("evaluate", run.toString(), "--data", virginica.toString(), "--json"));
        // Training measured its test set in batches of its own size, summing in another order: the last bit may differ.
        assertEquals(test.get("loss").doubleValue(), again.get("loss").doubleValue(), 1e-12);
        assertEquals(test.get("accuracy").doubleValue(), again.get("accuracy").doubleValue());
        assertTrue(test.get("accuracy").doubleValue() > 0.8, test.toString());
    }

    @Test
    void predictTakesInputColumnsByNameInAnyOrderAndIgnoresTheLabel(@TempDir Path dir) throws Exception {
        Path inOrder = irisRows(dir, "in-order.csv", HEADER, "0", "1", "2");
        Path shuffled = irisRows(
                dir,
                "shuffled.csv",
                "petal_width_cm,label,sepal_length_cm,petal_length_cm,sepal_width_cm",
                "0",
                "1",
                "2");
        Cli a = Cli.run("predict", iris.toString(), "--input", inOrder.toString());
        Cli b = Cli.run("predict", iris.toString(), "--input", shuffled.toString());
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(151, a.outLines().size());
        assertEquals(a.out(), b.out());

        Path unknown = Files.writeString(
                dir.resolve("unknown.csv"),
                "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width,petal_width_cm\n");
        Cli bad = Cli.run("predict", iris.toString(), "--input", unknown.toString());
        assertEquals(2, bad.exitCode());
        assertEquals(
                List.of(unknown
                        + ":1:4: unknown column 'petal_width'; expected columns sepal_length_cm, sepal_width_cm,"
                        + " petal_length_cm, petal_width_cm (a label column 'label' is ignored)"),
                bad.errLines());
        Path missing = Files.writeString(
                dir.resolve("missing.csv"), "sepal_length_cm,petal_length_cm,petal_width_cm\n1,2,3\n");
        bad = Cli.run("predict", iris.toString(), "--input", missing.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().startsWith(missing + ":1: missing column 'sepal_width_cm'; expected columns "), bad.err());
    }

    @Test
    void predictRejectsACellItCannotUseWithItsPosition(@TempDir Path dir) throws Exception {
        String header = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n";
        String numeric = " in column petal_width_cm is not a number, and the model reads petal_width_cm as numeric;"
                + " expected a decimal number such as 3, -2.5 or 1e-3, or a missing value";
        for (var c : List.of(
                new String[] {"5.1,3.5,1.4,wide", ":3:4: 'wide'" + numeric},
                new String[] {"5.1,3.5,1.4,0x1p3", ":3:4: '0x1p3'" + numeric},
                new String[] {"5.1,3.5,1.4,\"0,2\"", ":3:4: '0,2'" + numeric},
                new String[] {"5.1,3.5,1.4,1d", ":3:4: '1d'" + numeric})) {
            Cli bad = predictFromStdin(header + "5.1,3.5,1.4,0.2\n" + c[0] + "\n", "predict", iris.toString());
            assertEquals(2, bad.exitCode(), c[0]);
            assertEquals(List.of("<stdin>" + c[1]), bad.errLines());
        }
        Path latin1 = Files.write(
                dir.resolve("latin1.csv"),
                (header + "5.1,3.5,1.4,0.2\n5.1,3.5,1.4,0.2 \u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        Cli notUtf8 = Cli.run("predict", iris.toString(), "--input", latin1.toString());
        assertEquals(2, notUtf8.exitCode());
        assertEquals(List.of(latin1 + ":3:17: the byte 0xe9 is not UTF-8; save the file as UTF-8"), notUtf8.errLines());
        Cli directory = Cli.run("predict", iris.toString(), "--input", dir.toString());
        assertEquals(2, directory.exitCode());
        assertEquals(List.of(dir + ": is a directory; name a CSV file"), directory.errLines());
        Cli bom = predictFromStdin("\uFEFF" + header + "5.1,3.5,1.4,0.2\r\n", "predict", iris.toString());
        assertEquals(0, bom.exitCode(), bom.err());
        Path file = Files.writeString(dir.resolve("ragged.csv"), header + "\n5.1,3.5,1.4\n");
        Cli ragged = Cli.run("predict", iris.toString(), "--input", file.toString());
        assertEquals(2, ragged.exitCode());
        assertEquals(
                List.of(file + ":3: the row has 3 cells; the header has 4"), ragged.errLines(), "blank lines count");
    }

    private static Cli predictFromStdin(String input, String... args) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return Cli.run(args);
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void predictQuotesWhatCsvNeedsQuoted(@TempDir Path dir) throws Exception {
        String quoted = "\"small, \"\"red\"\"\"";
        Files.writeString(
                dir.resolve("labelled.csv"),
                "x,y,kind\n0,0," + quoted + "\n0,1,plain\n1,0,plain\n1,1," + quoted + "\n");
        Path experiment = Files.writeString(dir.resolve("labelled.yaml"), """
                name: labelled
                data: {train: {name: csv, path: labelled.csv}}
                model:
                  layers: [{units: 4, activation: tanh}, {units: 2, activation: softmax}]
                  initializer: xavier-uniform
                cost: cross-entropy
                training:
                  optimizer: {name: sgd, learning_rate: 0.1}
                  batch_size: 4
                  max_epochs: 2
                """);
        Path run = train(experiment, dir.resolve("runs"));
        Cli cli = predictFromStdin("y,x\n0,0\n", "predict", run.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals("class,p_plain,\"p_small, \"\"red\"\"\"", cli.outLines().get(0));
        String row = cli.outLines().get(1);
        assertTrue(row.startsWith("plain,") || row.startsWith("\"small, \"\"red\"\"\","), row);
    }

    @Test
    void anOlderModelJsonWithoutColumnNamesTakesInputsByPosition(@TempDir Path dir) throws Exception {
        Path run = copyOfIris(dir);
        Path input = irisRows(dir, "in.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm", "0", "2");
        String named =
                Cli.run("predict", run.toString(), "--input", input.toString()).out();
        ObjectNode model = (ObjectNode) JSON.readTree(run.resolve("model.json").toFile());
        assertEquals(
                JSON.valueToTree(List.of(HEADER.split(",")).subList(0, 4)),
                model.get("columns"),
                "model.json names the inputs");
        assertEquals("label", model.get("label").asText());
        model.remove(List.of("columns", "label", "encoder"));
        JSON.writeValue(run.resolve("model.json").toFile(), model);
        Cli positional = Cli.run("predict", run.toString(), "--input", input.toString());
        assertEquals(0, positional.exitCode(), positional.err());
        assertEquals(named, positional.out());
    }

    @Test
    void precisionAndJsonGiveEveryDigit(@TempDir Path dir) throws Exception {
        JsonNode test = JSON.readTree(iris.resolve("summary.json").toFile()).get("test");
        Cli text = Cli.run("evaluate", iris.toString(), "--precision", "17");
        assertEquals(0, text.exitCode(), text.err());
        var printed = java.util.regex.Pattern.compile("test: 30 examples, loss (\\S+), accuracy (\\S+)")
                .matcher(text.outLines().get(0));
        assertTrue(printed.matches(), text.out());
        assertEquals(
                test.get("loss").doubleValue(), Double.parseDouble(printed.group(1)), "17 digits read back exactly");
        assertEquals(test.get("accuracy").doubleValue(), Double.parseDouble(printed.group(2)));
        assertEquals(17, printed.group(1).replaceAll("^0\\.0*|[.]|e.*$", "").length(), printed.group(1));

        Path input = irisRows(dir, "in.csv", HEADER, "1");
        Cli csv = Cli.run("predict", iris.toString(), "--input", input.toString(), "--precision", "17");
        Cli json = Cli.run("predict", iris.toString(), "--input", input.toString(), "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertEquals(51, csv.outLines().size());
        assertEquals(50, json.outLines().size());
        for (int r = 0; r < 50; r++) {
            String[] cells = csv.outLines().get(r + 1).split(",");
            JsonNode line = JSON.readTree(json.outLines().get(r));
            assertEquals(line.get("class").asText(), cells[0]);
            for (int k = 0; k < 3; k++)
                assertEquals(line.get("p_" + k).doubleValue(), Double.parseDouble(cells[k + 1]));
        }
        Cli six = Cli.run("predict", iris.toString(), "--input", input.toString());
        assertNotEquals(csv.out(), six.out(), "six digits unless asked");

        Cli bad = Cli.run("evaluate", iris.toString(), "--precision", "18");
        assertEquals(2, bad.exitCode());
        assertEquals(List.of("--precision: expected 1 to 17 significant digits, got 18"), bad.errLines());
        for (String[] command : List.of(
                new String[] {"evaluate", iris.toString()},
                new String[] {"predict", iris.toString(), "--input", input.toString()})) {
            List<String> args = new java.util.ArrayList<>(List.of(command));
            args.addAll(List.of("--precision", "3", "--json"));
            Cli both = Cli.run(args.toArray(String[]::new));
            assertEquals(2, both.exitCode(), command[0]);
            assertEquals(
                    List.of("--precision: --json prints every number exact; give one of --precision and --json"),
                    both.errLines());
        }
    }

    @Test
    void oneExampleIsOneExample(@TempDir Path dir) throws Exception {
        Path one = Files.writeString(dir.resolve("one.csv"), HEADER + "\n5.1,3.5,1.4,0.2,0\n");
        Cli cli = Cli.run("evaluate", iris.toString(), "--data", one.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().startsWith(one + ": 1 example, loss "), cli.out());
    }
}
