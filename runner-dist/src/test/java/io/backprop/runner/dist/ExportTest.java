package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backprop.runner.testkit.PluginJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --format onnx}: what the file holds, and what it refuses (ONNX Runtime runs it in OnnxRuntimeTest). */
class ExportTest {
    private static Path iris(Path runs) {
        Cli cli = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("iris.yaml").toString(),
                "--out",
                runs.toString(),
                "--quiet",
                "--set",
                "training.max_epochs=3");
        assertEquals(0, cli.exitCode(), cli.err());
        return ExperimentsTest.runDirectory(cli);
    }

    @Test
    void irisIsPreprocessingGemmsAndActivationsWithItsClassesAndConfig(@TempDir Path dir) throws IOException {
        Path run = iris(dir);
        Cli cli = Cli.run("export", run.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        Path file = run.resolve("model.onnx");
        assertEquals(file.toString(), cli.out().strip(), "the default file, in the run directory");
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(17, model.getOpsetImport(0).getVersion());
        assertEquals("", model.getOpsetImport(0).getDomain());
        List<String> ops = model.getGraph().getNodeList().stream()
                .map(NodeProto::getOpType)
                .toList();
        assertEquals(
                List.of(
                        "IsNaN",
                        "Where",
                        "Sub",
                        "Div",
                        "Gemm",
                        "Tanh",
                        "Gemm",
                        "Softmax",
                        "Identity",
                        "ArgMax",
                        "Gather"),
                ops,
                "a gap (NaN) filled with the training mean, then the model");
        assertEquals("input", model.getGraph().getInput(0).getName());
        assertEquals(
                4,
                model.getGraph()
                        .getInput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(1)
                        .getDimValue());
        assertEquals(
                List.of("probabilities", "class"),
                model.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
        Map<String, String> metadata = model.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertEquals(
                new ObjectMapper()
                        .readTree(run.resolve("model.json").toFile())
                        .get("classes")
                        .toString(),
                metadata.get("classes"));
        assertEquals(
                3,
                model.getGraph().getInitializerList().stream()
                        .filter(t -> t.getName().equals("classes"))
                        .findFirst()
                        .orElseThrow()
                        .getStringDataCount());
        assertEquals(Files.readString(run.resolve("config.yaml")), metadata.get("config"));
        assertEquals("iris", metadata.get("experiment"));
        assertEquals("float32", metadata.get("precision"));
        assertTrue(
                model.getGraph().getInitializerList().stream()
                        .filter(t -> t.getDims(0) > 0 && t.getDataType() != TensorProto.DataType.STRING_VALUE)
                        .allMatch(t -> t.getDataType() == TensorProto.DataType.FLOAT_VALUE),
                "float32 by default");

        Path exact = dir.resolve("iris64.onnx");
        Cli float64 =
                Cli.run("export", run.toString(), "--format", "onnx", "-o", exact.toString(), "--precision", "float64");
        assertEquals(0, float64.exitCode(), float64.err());
        ModelProto model64 = ModelProto.parseFrom(Files.readAllBytes(exact));
        TensorProto weights = model64.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().startsWith("layer0/weights"))
                .findFirst()
                .orElseThrow();
        assertEquals(TensorProto.DataType.DOUBLE_VALUE, weights.getDataType());
        double first = java.nio.ByteBuffer.wrap(weights.getRawData().toByteArray())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getDouble();
        double saved = new ObjectMapper()
                .readTree(run.resolve("model.json").toFile())
                .get("layers")
                .get(0)
                .get("weights")
                .get(0)
                .get(0)
                .doubleValue();
        assertEquals(saved, first, "float64 keeps the weights' bits");
    }

    @Test
    void penguinsTakesEachRawColumnByNameAndEncodesItInTheGraph(@TempDir Path dir) throws IOException {
        Cli train = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("penguins.yaml").toString(),
                "--out",
                dir.toString(),
                "--quiet",
                "--set",
                "training.max_epochs=2");
        assertEquals(0, train.exitCode(), train.err());
        Path run = ExperimentsTest.runDirectory(train);
        Cli cli = Cli.run("export", run.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(run.resolve("model.onnx")));
        assertEquals(
                List.of(":17", "ai.onnx.ml:2"),
                model.getOpsetImportList().stream()
                        .map(o -> o.getDomain() + ":" + o.getVersion())
                        .toList());
        assertEquals(
                List.of("input", "island", "sex"),
                model.getGraph().getInputList().stream().map(i -> i.getName()).toList());
        assertEquals(
                List.of(1, 8, 8),
                model.getGraph().getInputList().stream()
                        .map(i -> i.getType().getTensorType().getElemType())
                        .toList(),
                "strings for categories, float32 for numbers");
        assertEquals(
                5,
                model.getGraph()
                        .getInput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(1)
                        .getDimValue());
        Map<String, String> metadata = model.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertEquals(
                "[\"bill_length_mm\",\"bill_depth_mm\",\"flipper_length_mm\",\"body_mass_g\",\"year\"]",
                metadata.get("input"));
        assertEquals("[\"island\",\"sex\"]", metadata.get("categorical"));
        assertEquals("[\"\",\"NA\",\"NaN\",\"?\",\"null\"]", metadata.get("missing"));
        List<NodeProto> nodes = model.getGraph().getNodeList();
        assertEquals(
                List.of("IsNaN", "Where", "LabelEncoder", "Equal", "Cast", "Gather"),
                nodes.subList(0, 6).stream().map(NodeProto::getOpType).toList());
        NodeProto island = nodes.get(2);
        assertEquals("ai.onnx.ml", island.getDomain());
        var keys = island.getAttributeList().stream()
                .filter(a -> a.getName().equals("keys_strings"))
                .findFirst()
                .orElseThrow()
                .getStringsList()
                .stream()
                .map(k -> k.toStringUtf8())
                .toList();
        var values = island.getAttributeList().stream()
                .filter(a -> a.getName().equals("values_int64s"))
                .findFirst()
                .orElseThrow()
                .getIntsList();
        assertEquals(List.of("Biscoe", "Dream", "Torgersen", "", "NA", "NaN", "?", "null"), keys);
        assertEquals(List.of(0L, 1L, 2L, 0L, 0L, 0L, 0L, 0L), values, "a missing island is the most frequent, Biscoe");
        assertEquals(
                List.of("Concat", "Sub", "Div", "Gemm"),
                nodes.stream()
                        .map(NodeProto::getOpType)
                        .dropWhile(op -> !op.equals("Concat"))
                        .limit(4)
                        .toList(),
                "the encoded columns, then the model as before");
    }

    @Test
    void aColumnNamedAsAnOutputIsRefused(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("penguins.csv");
        List<String> lines = Files.readAllLines(ExperimentsTest.EXPERIMENTS.resolve("data/penguins/penguins.csv"));
        Files.write(
                csv,
                java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(lines.get(0).replace("island", "class")),
                                lines.stream().skip(1))
                        .toList());
        Cli train = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("penguins.yaml").toString(),
                "--out",
                dir.toString(),
                "--quiet",
                "--set",
                "training.max_epochs=2",
                "--set",
                "data.train.path=" + csv);
        assertEquals(0, train.exitCode(), train.err());
        Path run = ExperimentsTest.runDirectory(train);
        Cli cli = Cli.run("export", run.toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(
                List.of(
                        run.resolve("model.json")
                                + ": encoder.columns: categorical column 'class' would be an input of the ONNX model named as"
                                + " another of its inputs or outputs (input, probabilities, class, value); rename the column and train again"),
                cli.errLines());
        assertTrue(!Files.exists(run.resolve("model.onnx")));
    }

    @Test
    void aPluginsSwishDescribesItselfAsSigmoidAndMul(@TempDir Path dir) throws IOException {
        Path file = ExperimentsTest.EXPERIMENTS.resolve("parity-swish.yaml");
        Cli train = Cli.run(file.toString(), "--out", dir.toString(), "--quiet", "--set", "training.max_epochs=2");
        assertEquals(0, train.exitCode(), train.err());
        Path run = ExperimentsTest.runDirectory(train);
        Cli cli = Cli.run(
                "export", run.toString(), "-o", dir.resolve("swish.onnx").toString());
        assertEquals(0, cli.exitCode(), cli.err());
        List<String> ops =
                ModelProto.parseFrom(Files.readAllBytes(dir.resolve("swish.onnx"))).getGraph().getNodeList().stream()
                        .filter(n -> n.getName().startsWith("layer0/"))
                        .map(NodeProto::getOpType)
                        .toList();
        assertEquals(List.of("Gemm", "Sigmoid", "Mul"), ops, "swish, beta 1: z * Sigmoid(z)");
    }

    @Test
    void anActivationThatCannotDescribeItselfIsRefusedNamingItsPlugin(@TempDir Path dir) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(
                plugins.resolve("cube.jar"),
                Map.of("cube.CubeActivationProvider", """
                package cube;
                import io.backprop.runner.plugin.*;
                public final class CubeActivationProvider implements ActivationProvider {
                    public String name() { return "cube"; }
                    public String description() { return "z cubed"; }
                    public Activation create(Params params) {
                        return new Activation() {
                            public void forward(double[] z, double[] a, int rows, int cols) {
                                for (int i = 0; i < rows * cols; i++) a[i] = z[i] * z[i] * z[i];
                            }
                            public void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols) {
                                for (int i = 0; i < rows * cols; i++) dz[i] = da[i] * 3 * z[i] * z[i];
                            }
                        };
                    }
                }
                """),
                Map.of("io.backprop.runner.plugin.ActivationProvider", List.of("cube.CubeActivationProvider")),
                "1.0");
        Cli train = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("iris.yaml").toString(),
                "--out",
                dir.toString(),
                "--quiet",
                "--plugins",
                plugins.toString(),
                "--set",
                "training.max_epochs=2",
                "--set",
                "model.layers[0].activation=cube");
        assertEquals(0, train.exitCode(), train.err());
        Path run = ExperimentsTest.runDirectory(train);
        Cli cli = Cli.run(
                "export",
                run.toString(),
                "--plugins",
                plugins.toString(),
                "-o",
                dir.resolve("x.onnx").toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(
                List.of(
                        run.resolve("model.json") + ": layers[0].activation: activation 'cube' (from "
                                + plugins.resolve("cube.jar")
                                + ") does not describe itself as ONNX nodes (Activation.toOnnx), so it cannot be exported; ask its plugin for that method"),
                cli.errLines());
        assertTrue(!Files.exists(dir.resolve("x.onnx")), "nothing written");
    }

    @Test
    void partsOfAModelItCannotWriteAreRefusedInALineEach(@TempDir Path dir) throws IOException {
        Path run = iris(dir);
        var json = new ObjectMapper();
        var model = (ObjectNode) json.readTree(run.resolve("model.json").toFile());
        model.putObject("encodings").put("color", "one-hot");
        json.writeValue(run.resolve("model.json").toFile(), model);
        Cli cli = Cli.run("export", run.toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(
                List.of(run.resolve("model.json")
                        + ": encodings: the ONNX exporter cannot write this part of the model yet;"
                        + " it writes numeric columns, standardize and min-max, dense layers and their activations"),
                cli.errLines());
        assertTrue(!Files.exists(run.resolve("model.onnx")));
    }

    @Test
    void anUnknownFormatOrPrecisionIsBadInput(@TempDir Path dir) {
        Path run = iris(dir);
        Cli format = Cli.run("export", run.toString(), "--format", "pmml");
        assertEquals(2, format.exitCode());
        assertEquals(List.of("--format: unknown format 'pmml'; export writes onnx"), format.errLines());
        Cli precision = Cli.run("export", run.toString(), "--precision", "float16");
        assertEquals(2, precision.exitCode());
        assertEquals(
                List.of("--precision: unknown precision 'float16'; expected float32 or float64"), precision.errLines());
        Cli missing = Cli.run(
                "export",
                run.toString(),
                "-o",
                dir.resolve("no/such/dir/m.onnx").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().startsWith("--output: no such directory: "), missing.err());
    }
}
