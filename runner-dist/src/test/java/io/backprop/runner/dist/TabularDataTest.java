package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV as it comes, text categories and gaps: trained from path and label alone, answered row by raw row. */
class TabularDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PENGUINS = ExperimentsTest.EXPERIMENTS
            .resolve("data/penguins/penguins.csv")
            .toAbsolutePath()
            .normalize();
    private static final String MODEL = """
            model:
              layers:
                - {units: 8, activation: tanh}
                - {units: 2, activation: softmax}
              initializer: xavier-uniform
            cost: cross-entropy
            training:
              optimizer: {name: adam, learning_rate: 0.05}
              batch_size: 4
              max_epochs: 30
            """;

    private static Path train(Path experiment, Path out) {
        Cli cli = Cli.run(experiment.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, cli.exitCode(), cli.err());
        return Path.of(cli.outLines().get(0));
    }

    @Test
    void penguinsTrainFromPathAndLabelAndPredictAnswersTheFilesRawRows(@TempDir Path dir) throws Exception {
        Path experiment = Files.writeString(
                dir.resolve("p.yaml"),
                "data:\n  train: {name: csv, path: " + PENGUINS + ", label: species}\n"
                        + "  test: {split: 0.2}\n  preprocess: [standardize]\n"
                        + MODEL.replace("units: 2", "units: 3"));
        Path run = train(experiment, dir.resolve("runs"));
        JsonNode model = JSON.readTree(run.resolve("model.json").toFile());
        assertEquals(
                List.of("island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"),
                JSON.convertValue(model.get("columns"), List.class));
        assertEquals(3 + 4 + 2 + 1, model.get("inputs").intValue());
        // standardize leaves the one-hot inputs (island's three, sex's two) at 0 and 1.
        JsonNode mean = model.get("preprocess").get(0).get("state").get("mean");
        JsonNode std = model.get("preprocess").get(0).get("state").get("std");
        for (int i : new int[] {0, 1, 2, 7, 8}) {
            assertEquals(0.0, mean.get(i).doubleValue(), "mean of input " + i);
            assertEquals(1.0, std.get(i).doubleValue(), "std of input " + i);
        }
        assertTrue(std.get(3).doubleValue() > 1, "bill length is scaled");

        Cli predicted = Cli.run("predict", run.toString(), "--input", PENGUINS.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        List<String> rows = Files.readAllLines(PENGUINS);
        List<String> out = predicted.outLines();
        assertEquals("class,p_Adelie,p_Chinstrap,p_Gentoo", out.get(0));
        assertEquals(rows.size(), out.size(), "one answer per row, gaps and all");
        int right = 0;
        for (int r = 1; r < rows.size(); r++)
            if (out.get(r).startsWith(rows.get(r).split(",")[0] + ",")) right++;
        assertTrue(right > 0.95 * (rows.size() - 1), right + " of " + (rows.size() - 1));

        Cli evaluated = Cli.run("evaluate", run.toString(), "--data", PENGUINS.toString(), "--json");
        assertEquals(0, evaluated.exitCode(), evaluated.err());
        assertEquals(
                right / (double) (rows.size() - 1),
                JSON.readTree(evaluated.out()).get("accuracy").doubleValue(),
                1e-12);

        Path odd = Files.writeString(
                dir.resolve("odd.csv"),
                "sex,year,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g\n"
                        + "NA,2008,Atlantis,45,15,220,5000\n");
        Cli unknown = Cli.run("predict", run.toString(), "--input", odd.toString());
        assertEquals(0, unknown.exitCode(), unknown.err());
        assertEquals(
                List.of("predict: categories the training split did not have, given all-zero inputs: island 1 cell"),
                unknown.errLines());
        Path word = Files.writeString(
                dir.resolve("word.csv"),
                "sex,year,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g\n"
                        + "male,2008,Dream,long,15,220,5000\n");
        Cli bad = Cli.run("predict", run.toString(), "--input", word.toString());
        assertEquals(2, bad.exitCode());
        assertEquals(
                List.of(word
                        + ":2:4: 'long' in column bill_length_mm is not a number, and the model reads bill_length_mm as"
                        + " numeric; expected a decimal number such as 3, -2.5 or 1e-3, or a missing value"),
                bad.errLines());
    }

    @Test
    void heldOutRowsNeverReachTheFittedFillsOrCategories(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("train.csv"), "size,colour,kind\n1,red,a\n3,blue,b\nNA,red,a\n2,NA,b\n4,blue,a\n2,red,b\n");
        Files.writeString(dir.resolve("test.csv"), "size,colour,kind\n1000,green,a\nNA,green,b\n5,red,a\n");
        Path experiment = Files.writeString(
                dir.resolve("e.yaml"),
                "data:\n  train: {name: csv, path: train.csv}\n" + "  test: {name: csv, path: test.csv}\n" + MODEL);
        Path run = train(experiment, dir.resolve("runs"));
        JsonNode encoder = JSON.readTree(run.resolve("model.json").toFile()).get("encoder");
        JsonNode size = encoder.get("columns").get(0);
        assertEquals("size", size.get("name").asText());
        assertEquals(
                (1 + 3 + 2 + 4 + 2) / 5.0,
                size.get("fill").doubleValue(),
                0.0,
                "the training mean, not one with 1000 in it");
        JsonNode colour = encoder.get("columns").get(1);
        assertEquals(List.of("blue", "red"), JSON.convertValue(colour.get("categories"), List.class));
        assertEquals("red", colour.get("fill").asText());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals(
                2, summary.get("unknown_categories").get("test").get("colour").intValue());
        assertTrue(summary.get("unknown_categories").get("train").isEmpty());
    }

    @Test
    void aBinaryTaskMayUseOneSigmoidOutput(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>(List.of("x,colour,kind"));
        for (int i = 0; i < 40; i++)
            lines.add((i % 10) + "," + (i % 2 == 0 ? "red" : "blue") + "," + (i % 2 == 0 ? "yes" : "no"));
        Files.write(dir.resolve("b.csv"), lines);
        Path experiment = Files.writeString(
                dir.resolve("b.yaml"),
                "data:\n  train: {name: csv, path: b.csv}\n"
                        + MODEL.replace("{units: 2, activation: softmax}", "{units: 1, activation: sigmoid}")
                                .replace("cross-entropy", "binary-cross-entropy"));
        Path run = train(experiment, dir.resolve("runs"));
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals(1.0, summary.get("train").get("accuracy").doubleValue());
        Path input = Files.writeString(dir.resolve("in.csv"), "colour,x\nred,3\nblue,4\n");
        Cli predicted = Cli.run("predict", run.toString(), "--input", input.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        assertEquals("class,p_no,p_yes", predicted.outLines().get(0));
        assertTrue(predicted.outLines().get(1).startsWith("yes,"), predicted.out());
        assertTrue(predicted.outLines().get(2).startsWith("no,"), predicted.out());
    }

    @Test
    void validateReportsTheInferredColumnsAndWhatFillsTheirGaps() throws Exception {
        String penguins = ExperimentsTest.EXPERIMENTS.resolve("penguins.yaml").toString();
        Cli text = Cli.run("validate", penguins);
        assertEquals(0, text.exitCode(), text.err());
        List<String> lines = text.outLines();
        assertEquals(penguins + ": ok (206 training examples, 2 layers)", lines.get(0));
        assertEquals("  data/penguins/penguins.csv: 7 input columns, 10 inputs once encoded", lines.get(1));
        assertEquals(
                "    island             categorical  0 missing, 3 categories: Biscoe, Dream, Torgersen", lines.get(2));
        assertTrue(
                lines.get(3)
                        .startsWith(
                                "    bill_length_mm     numeric      2 missing; fills the training split's mean 43.9"),
                lines.get(3));
        assertEquals(
                "    sex                categorical  11 missing, 2 categories: female, male; fills the training split's most frequent 'male'",
                lines.get(7));

        Cli json = Cli.run("validate", "--json", penguins);
        assertEquals(0, json.exitCode(), json.err());
        JsonNode report = JSON.readTree(json.out());
        assertEquals(10, report.get("inputs").intValue());
        JsonNode sex = report.get("columns").get(5);
        assertEquals("sex", sex.get("name").asText());
        assertEquals("categorical", sex.get("type").asText());
        assertEquals(11, sex.get("missing").intValue());
        assertEquals(List.of("female", "male"), JSON.convertValue(sex.get("categories"), List.class));
        assertEquals("most_frequent", sex.get("impute").asText());
        assertTrue(report.get("columns").get(1).get("fill").isNumber());
    }

    @Test
    void predictTakesTheTrainingFilesRowsWithTheColumnsTrainingLeftOut(@TempDir Path dir) throws Exception {
        Path data = Files.writeString(
                dir.resolve("t.csv"), "id,size,colour,kind\n1,1,red,a\n2,3,blue,b\n3,NA,red,a\n4,2,blue,b\n");
        Path experiment = Files.writeString(
                dir.resolve("e.yaml"), "data:\n  train: {name: csv, path: t.csv, ignore: [id]}\n" + MODEL);
        Path run = train(experiment, dir.resolve("runs"));
        Cli predicted = Cli.run("predict", run.toString(), "--input", data.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        assertEquals(5, predicted.outLines().size());
        Path without = Files.writeString(dir.resolve("w.csv"), "id,size\n1,1\n");
        Cli missing = Cli.run("predict", run.toString(), "--input", without.toString());
        assertEquals(2, missing.exitCode());
        assertEquals(
                List.of(
                        without
                                + ":1: missing column 'colour'; expected columns size, colour (a label column 'kind' is ignored)"),
                missing.errLines());
    }
}
