package io.backprop.runner.cli;

import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.run.SavedModel;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a saved model on CSV rows of inputs (a header row, then one row per example) and write CSV:"
                + " the class and each class's probability, or the value.")
final class PredictCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
    Path run;

    @Option(names = "--input", paramLabel = "CSV", description = "The inputs (default: standard input).")
    Path input;

    @Option(names = "--output", paramLabel = "CSV", description = "Where to write (default: standard output).")
    Path output;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    PredictCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws IOException {
        if (output != null && Files.isDirectory(output)) {
            throw new SpecException(Where.of("--output").problem(output + " is a directory; name the CSV file to write"));
        }
        SavedModel model = SavedRun.model(run, plugins, stderr).model();
        String source = input == null ? "standard input" : input.toString();
        List<String> lines;
        try (var reader = input == null ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            lines = reader.lines().filter(l -> !l.isBlank()).toList();
        } catch (NoSuchFileException e) {
            throw new SpecException(Where.of(source).problem("no such file"));
        }
        if (lines.isEmpty()) throw new SpecException(Where.of(source).problem("no header row; expected " + model.inputs() + " input columns"));
        int columns = lines.get(0).split(",", -1).length;
        if (columns != model.inputs()) {
            throw new SpecException(Where.of(source).problem("the header has " + columns + " columns; the model takes " + model.inputs() + " inputs"));
        }
        int rows = lines.size() - 1;
        double[] x = new double[rows * columns];
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",", -1);
            if (cells.length != columns) {
                throw new SpecException(new Where(source, r + 2, 0, "").problem("the row has " + cells.length + " cells; the header has " + columns));
            }
            for (int c = 0; c < columns; c++) {
                try {
                    x[r * columns + c] = Double.parseDouble(cells[c].trim());
                } catch (NumberFormatException e) {
                    throw new SpecException(new Where(source, r + 2, c + 1, "").problem("'" + cells[c].trim() + "' is not a number"));
                }
            }
        }
        model.preprocess(x, rows);
        int batch = 256;
        var network = model.network(batch);
        Writer out = output == null ? new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        try {
            out.write(header(model));
            double[] xb = new double[batch * columns];
            for (int start = 0; start < rows; start += batch) {
                int n = Math.min(batch, rows - start);
                System.arraycopy(x, start * columns, xb, 0, n * columns);
                double[] outputs = network.forward(xb, n);
                for (int r = 0; r < n; r++) out.write(row(model, outputs, r));
            }
        } finally {
            // Standard output is the caller's to close.
            if (output == null) out.flush();
            else out.close();
        }
        return Main.OK;
    }

    private static String header(SavedModel model) {
        if (model.task() == Dataset.Task.REGRESSION) {
            if (model.outputs() == 1) return "value\n";
            List<String> names = new ArrayList<>();
            for (int j = 0; j < model.outputs(); j++) names.add("value_" + j);
            return String.join(",", names) + "\n";
        }
        List<String> names = new ArrayList<>(List.of("class"));
        for (String c : model.classes()) names.add("p_" + c);
        return String.join(",", names) + "\n";
    }

    private static String row(SavedModel model, double[] outputs, int r) {
        int k = model.outputs();
        List<String> cells = new ArrayList<>();
        if (model.task() == Dataset.Task.REGRESSION) {
            for (int j = 0; j < k; j++) cells.add(Double.toString(outputs[r * k + j]));
        } else if (k == 1) {
            double p = outputs[r];
            cells.add(model.classes().get(p > 0.5 ? 1 : 0));
            cells.add(format(1 - p));
            cells.add(format(p));
        } else {
            cells.add(model.classes().get(Dataset.labelOf(outputs, r, k)));
            for (int j = 0; j < k; j++) cells.add(format(outputs[r * k + j]));
        }
        return String.join(",", cells) + "\n";
    }

    private static String format(double p) {
        return String.format(Locale.ROOT, "%.6g", p);
    }
}
