package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code training.precision: float32} from the command line: a run, its record, and evaluate and predict after it. */
class Float32RunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIGITS =
            ExperimentsTest.EXPERIMENTS.resolve("digits.yaml").toString();

    private static Cli train(Path out, String precision, int threads) {
        return Cli.run(
                DIGITS,
                "--out",
                out.toString(),
                "--set",
                "training.precision=" + precision,
                "--set",
                "training.max_epochs=8",
                "--set",
                "training.threads=" + threads);
    }

    private static JsonNode summary(Path run) throws Exception {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    @Test
    void aFloat32RunIsRecordedAsSuchAndEvaluatedAndPredictedInFloat32(@TempDir Path dir) throws Exception {
        Cli single = Cli.run(
                DIGITS,
                "--out",
                dir.resolve("f32").toString(),
                "--set",
                "training.precision=float32",
                "--set",
                "training.max_epochs=8",
                "--quiet");
        assertEquals(0, single.exitCode(), single.err());
        Path run = Path.of(single.outLines().get(0));
        Cli exact =
                Cli.run(DIGITS, "--out", dir.resolve("f64").toString(), "--set", "training.max_epochs=8", "--quiet");
        assertEquals(0, exact.exitCode(), exact.err());
        Path exactRun = Path.of(exact.outLines().get(0));

        assertTrue(Files.readString(run.resolve("config.yaml")).contains("  precision: float32\n"));
        assertTrue(!Files.readString(exactRun.resolve("config.yaml")).contains("precision"), "the default unwritten");
        JsonNode model = JSON.readTree(run.resolve("model.json").toFile());
        assertEquals("float32", model.get("precision").asText());
        assertEquals(
                "float64",
                JSON.readTree(exactRun.resolve("model.json").toFile())
                        .get("precision")
                        .asText());
        JsonNode provenance = summary(run).get("provenance");
        assertTrue(provenance.get("arithmetic").asText().startsWith("float32 with "), provenance.toString());

        double loss = summary(run).get("test").get("loss").doubleValue();
        double exactLoss = summary(exactRun).get("test").get("loss").doubleValue();
        assertNotEquals(exactLoss, loss, "float32 rounds");
        assertEquals(exactLoss, loss, 1e-3 * exactLoss, "and trains as float64 does, to float precision");
        Cli evaluate = Cli.run("evaluate", run.toString(), "--json");
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        // evaluate sums the loss over other batches than training's measurement: the same to a few ulps.
        assertEquals(loss, JSON.readTree(evaluate.out()).get("loss").doubleValue(), 1e-13, "evaluated in float32");

        // The same weights read as a float64 model evaluate to other bits: the precision is what evaluate used.
        ((ObjectNode) model).put("precision", "float64");
        JSON.writeValue(run.resolve("model.json").toFile(), model);
        Cli asFloat64 = Cli.run("evaluate", run.toString(), "--json");
        assertEquals(0, asFloat64.exitCode(), asFloat64.err());
        double asRead = JSON.readTree(asFloat64.out()).get("loss").doubleValue();
        assertTrue(Math.abs(asRead - loss) > 1e-11, "float64 gives " + asRead + ", float32 " + loss);

        ((ObjectNode) model).put("precision", "float16");
        JSON.writeValue(run.resolve("model.json").toFile(), model);
        Cli unknown = Cli.run("evaluate", run.toString());
        assertEquals(2, unknown.exitCode(), unknown.err());
        assertEquals(
                List.of(run.resolve("model.json") + ": precision: is 'float16', which this runner does not know"
                        + " (float64, float32); use the runner that saved it"),
                unknown.errLines());
    }

    @Test
    void float32GivesTheSameBitsOnOneThreadAndTwo(@TempDir Path dir) throws Exception {
        Cli one = train(dir.resolve("one"), "float32", 1);
        Cli two = train(dir.resolve("two"), "float32", 2);
        assertEquals(0, one.exitCode(), one.err());
        assertEquals(0, two.exitCode(), two.err());
        assertTrue(
                one.outLines().get(0).matches("kernels: .*, float32 with (fused|separate) multiply(-| and )add"),
                one.outLines().get(0));
        List<String> runs =
                List.of(dir.resolve("one").toString(), dir.resolve("two").toString());
        Path a;
        Path b;
        try (var listA = Files.list(dir.resolve("one").resolve("digits"));
                var listB = Files.list(dir.resolve("two").resolve("digits"))) {
            a = listA.findFirst().orElseThrow();
            b = listB.findFirst().orElseThrow();
        }
        assertEquals(
                JSON.readTree(a.resolve("model.json").toFile()).get("layers"),
                JSON.readTree(b.resolve("model.json").toFile()).get("layers"),
                "the same weights, bit for bit: " + runs);
        assertEquals(summary(a).get("test"), summary(b).get("test"));
    }
}
