package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.engine.kernel.Products;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json's provenance, and the runs command's table and JSON over a runs root of real runs. */
class RunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path runs;

    private static Path iris;
    private static Path xorPlain;
    private static Path xorL2;
    private static Path mnist;

    private static Path run(String experiment, String... sets) {
        List<String> args = new ArrayList<>(List.of(
                ExperimentsTest.EXPERIMENTS.resolve(experiment).toString(), "--out", runs.toString(), "--quiet"));
        for (String set : sets) args.addAll(List.of("--set", set));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        return ExperimentsTest.runDirectory(cli);
    }

    @BeforeAll
    static void runSome() {
        xorPlain = run("xor.yaml", "training.max_epochs=30");
        xorL2 = run("xor.yaml", "training.max_epochs=20", "training.l2=2e-4");
        iris = run("iris.yaml", "training.max_epochs=5");
        mnist = run("mnist.yaml", "training.max_epochs=1", "data.train.limit=300", "data.test.limit=50");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void theSummaryRecordsTheMachineAndEveryDataFileWithItsDigest() throws Exception {
        JsonNode p = JSON.readTree(iris.resolve("summary.json").toFile()).get("provenance");
        assertTrue(p.get("runner").asText().matches("\\d+\\.\\d+\\.\\d+.*"), p.toString());
        assertEquals(
                System.getProperty("java.version"), p.get("java").get("version").asText());
        assertEquals(
                System.getProperty("java.vendor"), p.get("java").get("vendor").asText());
        assertEquals(System.getProperty("os.name"), p.get("os").get("name").asText());
        assertEquals(System.getProperty("os.arch"), p.get("os").get("arch").asText());
        assertFalse(p.get("cpu").get("model").asText().isBlank());
        assertEquals(
                Runtime.getRuntime().availableProcessors(),
                p.get("cpu").get("logical_processors").intValue());
        assertEquals(
                Runtime.getRuntime().availableProcessors(),
                p.get("threads").intValue(),
                "threads default to the cores");
        assertEquals(Products.kernels(), p.get("kernels").asText());
        assertTrue(java.time.Instant.parse(p.get("started").asText()).isBefore(java.time.Instant.now()));

        Path csv = ExperimentsTest.EXPERIMENTS.resolve("data/iris/iris.csv");
        assertEquals(1, p.get("data").size(), p.toString());
        JsonNode file = p.get("data").get(0);
        assertEquals("data.train", file.get("key").asText());
        assertEquals("csv", file.get("source").asText());
        assertEquals("path", file.get("parameter").asText());
        assertEquals("data/iris/iris.csv", file.get("path").asText(), "as the experiment wrote it");
        assertEquals(csv.toRealPath().toString(), file.get("resolved").asText());
        assertEquals(Files.size(csv), file.get("bytes").longValue());
        assertEquals(sha256(csv), file.get("sha256").asText());
        assertEquals(150, file.get("rows").intValue(), "the whole file: train, validation and test splits");
    }

    @Test
    void eachFileOfEachSourceIsRecordedAndGeneratedDataSaysHowItWasMade() throws Exception {
        JsonNode data = JSON.readTree(mnist.resolve("summary.json").toFile())
                .get("provenance")
                .get("data");
        assertEquals(4, data.size(), data.toString());
        List<String> described = new ArrayList<>();
        for (JsonNode f : data)
            described.add(f.get("key").asText() + " " + f.get("parameter").asText() + " "
                    + f.get("rows").intValue());
        assertEquals(
                List.of("data.train images 300", "data.train labels 300", "data.test images 50", "data.test labels 50"),
                described);
        Path images = ExperimentsTest.EXPERIMENTS.resolve("data/mnist-10k/test-images-idx3-ubyte.gz");
        assertEquals(sha256(images), data.get(2).get("sha256").asText());

        JsonNode xor = JSON.readTree(xorPlain.resolve("summary.json").toFile())
                .get("provenance")
                .get("data");
        assertEquals(1, xor.size());
        assertEquals("xor", xor.get(0).get("source").asText());
        assertTrue(xor.get(0).get("generated").isObject(), xor.toString());
        assertEquals(4, xor.get(0).get("rows").intValue());
        assertFalse(xor.get(0).has("sha256"));
    }

    @Test
    void theTableListsEachRunWithItsMetricsAndWhatDiffersWithinItsExperiment() throws Exception {
        Cli cli = Cli.run("runs", runs.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        var lines = cli.outLines();
        assertEquals(5, lines.size(), cli.out());
        assertTrue(
                lines.get(0)
                        .matches(
                                "experiment +run +status +epochs +val\\.loss +val\\.acc +test\\.loss +test\\.acc +started +differs"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("iris  "), cli.out());
        assertTrue(lines.get(2).startsWith("mnist  "), cli.out());
        String plain = lines.get(3);
        String l2 = lines.get(4);
        assertTrue(
                plain.contains(xorPlain.getFileName().toString())
                        && plain.contains("completed")
                        && plain.contains(" 30 "),
                plain);
        assertTrue(plain.endsWith("training.l2=0 training.max_epochs=30"), plain);
        assertTrue(l2.endsWith("training.l2=0.0002 training.max_epochs=20"), l2);
        double irisAccuracy = JSON.readTree(iris.resolve("summary.json").toFile())
                .get("test")
                .get("accuracy")
                .doubleValue();
        assertTrue(lines.get(1).contains(String.format(java.util.Locale.ROOT, " %.4g ", irisAccuracy)), lines.get(1));
        int started = lines.get(0).indexOf("started");
        assertTrue(lines.get(1).substring(started).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d.*"), lines.get(1));
    }

    @Test
    void sortTakesAnyColumnOrKeyDescendingWithAMinusAndRefusesAnUnknownOne() {
        Cli byEpochs = Cli.run("runs", runs.toString(), "--sort", "-epochs");
        assertEquals(0, byEpochs.exitCode(), byEpochs.err());
        List<String> order = byEpochs.outLines().stream()
                .skip(1)
                .map(l -> l.split(" +")[0] + " " + l.split(" +")[3])
                .toList();
        assertEquals(List.of("xor 30", "xor 20", "iris 5", "mnist 1"), order);

        Cli byL2 = Cli.run("runs", runs.toString(), "--sort", "-training.l2");
        assertTrue(byL2.outLines().get(1).contains(xorL2.getFileName().toString()), byL2.out());

        for (String sort : List.of("test.acc", "-test.accuracy")) {
            List<String> experiments = Cli.run("runs", runs.toString(), "--sort", sort).outLines().stream()
                    .skip(1)
                    .map(l -> l.split(" ")[0])
                    .toList();
            assertEquals(
                    List.of("xor", "xor"),
                    experiments.subList(2, 4),
                    sort + ": what a run lacks comes last, whichever the direction");
        }

        Cli typo = Cli.run("runs", runs.toString(), "--sort", "tset.accuracy");
        assertEquals(2, typo.exitCode());
        assertEquals(1, typo.errLines().size(), typo.err());
        assertTrue(
                typo.err()
                        .startsWith(
                                "runner: --sort: unknown key 'tset.accuracy'; did you mean 'test.accuracy' or 'train.accuracy'?"),
                typo.err());
        assertEquals("", typo.out());
    }

    @Test
    void jsonHasEveryRunWithItsNumbersExact() throws Exception {
        Cli cli = Cli.run("runs", runs.toString(), "--json", "--provenance");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode all = JSON.readTree(cli.out());
        assertEquals(4, all.size());
        JsonNode first = all.get(0);
        JsonNode summary = JSON.readTree(iris.resolve("summary.json").toFile());
        assertEquals("iris", first.get("experiment").asText());
        assertEquals(iris.toString(), first.get("directory").asText());
        assertEquals(summary.get("test"), first.get("test"));
        assertEquals(
                summary.get("validation").get("loss").doubleValue(),
                first.get("validation").get("loss").doubleValue(),
                0.0);
        assertEquals(summary.get("provenance"), first.get("provenance"));
        assertEquals(
                JSON.readTree("{\"training.l2\": 2.0E-4, \"training.max_epochs\": 20}"),
                all.get(3).get("differs"));
    }

    @Test
    void provenanceColumnsShowVersionsProcessorAndDataDigests() throws Exception {
        Cli cli = Cli.run("runs", runs.toString(), "--provenance");
        assertEquals(0, cli.exitCode(), cli.err());
        var lines = cli.outLines();
        assertTrue(
                lines.get(0).matches(".* started +runner +java +cpu +threads +kernels +data +differs"), lines.get(0));
        String digest = sha256(ExperimentsTest.EXPERIMENTS.resolve("data/iris/iris.csv"))
                .substring(0, 12);
        assertTrue(lines.get(1).contains(" " + digest), lines.get(1));
        assertTrue(lines.get(1).contains(System.getProperty("java.version")), lines.get(1));
        assertTrue(lines.get(3).contains("xor (generated)"), lines.get(3));
    }

    @Test
    void aNarrowTerminalCutsTheLongColumnsNotTheMetrics() {
        Cli cli = Cli.run("runs", runs.toString(), "--width", "120");
        assertEquals(0, cli.exitCode(), cli.err());
        for (String line : cli.outLines()) assertTrue(line.length() <= 120, line.length() + ": " + line);
        assertTrue(cli.outLines().get(4).contains("…"), cli.out());
        assertTrue(
                cli.outLines().get(1).contains(" stopped ")
                        || cli.outLines().get(1).contains(" completed "),
                cli.out());
        Cli wide = Cli.run("runs", runs.toString(), "--width", "0");
        assertTrue(wide.outLines().get(4).endsWith("training.max_epochs=20"), wide.out());
    }

    @Test
    void anEmptyRootIsOneLineAndAMissingOneIsBadInput(@TempDir Path empty) {
        Cli none = Cli.run("runs", empty.toString());
        assertEquals(0, none.exitCode(), none.err());
        assertEquals(List.of("no runs under " + empty), none.outLines());
        assertEquals("[]\n", Cli.run("runs", empty.toString(), "--json").out());

        Cli missing = Cli.run("runs", empty.resolve("nope").toString());
        assertEquals(2, missing.exitCode());
        assertEquals(
                List.of(empty.resolve("nope")
                        + ": no such directory; name a runs root (run's --out, default runs), an experiment's"
                        + " directory or a run's"),
                missing.errLines());
    }

    @Test
    void aBrokenRunIsListedAsUnknownWithoutAStackTrace(@TempDir Path root) throws Exception {
        Path broken = Files.createDirectories(root.resolve("my experiment/20260101-000000-abcdef"));
        Files.writeString(broken.resolve("config.yaml"), "name: my experiment\n");
        Files.writeString(broken.resolve("summary.json"), "{\"status\": \"compl");
        Cli cli = Cli.run("runs", root.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(
                cli.outLines().get(1).matches("my experiment +20260101-000000-abcdef +unknown +- +2026-01-01 00:00"),
                cli.out());
        assertEquals(
                List.of("runner: my experiment/20260101-000000-abcdef: summary.json is not valid JSON"),
                cli.errLines());
    }
}
