package io.backprop.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.export.OnnxExporter;
import io.backprop.runner.run.AtomicFile;
import io.backprop.runner.run.RunDirectory;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Write a run's model as a self-contained ONNX model (opset 17): the stored preprocessing, every layer"
                        + " and activation, the class names and the resolved config in its metadata. Prints the file's path.")
final class ExportCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
    Path run;

    @Option(names = "--format", paramLabel = "FORMAT", description = "onnx (the default and, for now, the only one).")
    String format = "onnx";

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Where to write (default: model.onnx in the run directory).")
    Path output;

    @Option(
            names = "--precision",
            paramLabel = "TYPE",
            description = "float32 (the default, what every runtime serves) or"
                    + " float64 (the runner's own results, to rounding).")
    String precision = "float32";

    @Mixin
    PluginOptions plugins = new PluginOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    ExportCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws IOException {
        if (!format.equals("onnx")) {
            throw new SpecException(
                    Where.of("--format").problem("unknown format '" + format + "'; export writes onnx"));
        }
        OnnxExporter.Precision type = switch (precision) {
            case "float32" -> OnnxExporter.Precision.FLOAT32;
            case "float64" -> OnnxExporter.Precision.FLOAT64;
            default ->
                throw new SpecException(Where.of("--precision")
                        .problem("unknown precision '" + precision + "'; expected float32 or float64"));
        };
        Path file = output == null ? RunDirectory.resolve(run).resolve("model.onnx") : output;
        if (Files.isDirectory(file)) {
            throw new SpecException(
                    Where.of("--output").problem(file + " is a directory; name the .onnx file to write"));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new SpecException(Where.of("--output").problem("no such directory: " + parent));
        }
        SavedRun saved = SavedRun.model(run, plugins, stderr);
        Path directory = RunDirectory.resolve(run);
        Path modelFile = directory.resolve("model.json");
        JsonNode modelJson = new ObjectMapper().readTree(modelFile.toFile());
        String config = Files.readString(directory.resolve("config.yaml"));
        byte[] onnx = new OnnxExporter(
                        saved.model(),
                        modelJson,
                        modelFile.toString(),
                        saved.experiment().name(),
                        config,
                        type)
                .export();
        AtomicFile.write(file, out -> out.write(onnx));
        stdout.println(file);
        return Main.OK;
    }
}
