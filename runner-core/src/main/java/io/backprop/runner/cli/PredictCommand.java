package io.backprop.runner.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.table.DecimalNumber;
import io.backprop.runner.plugin.table.Utf8Text;
import io.backprop.runner.run.Json;
import io.backprop.runner.run.SavedModel;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description =
                "Run a saved model on CSV rows of inputs (a header row naming the model's input columns, in any"
                        + " order, then one row per example) and write CSV: the class and each class's probability, or the value.")
final class PredictCommand implements Callable<Integer>, Main.Streams {
    private static final String STDIN = "<stdin>";
    private static final int BATCH = 256;

    @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
    Path run;

    @Option(
            names = "--input",
            paramLabel = "CSV",
            description = "The inputs (default: standard input). A label column is ignored.")
    Path input;

    @Option(names = "--output", paramLabel = "CSV", description = "Where to write (default: standard output).")
    Path output;

    @Option(
            names = "--precision",
            paramLabel = "DIGITS",
            description =
                    "Significant digits of each number (default: 6 for probabilities, every digit for values; 17 reads back exactly).")
    Integer precision;

    @Option(names = "--json", description = "Write JSON lines instead, one object per row, the numbers exact.")
    boolean json;

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
        Precision.check(precision, json);
        if (output != null && Files.isDirectory(output)) {
            throw new SpecException(
                    Where.of("--output").problem(output + " is a directory; name the CSV file to write"));
        }
        SavedModel model = SavedRun.model(run, plugins, stderr).model();
        String source = input == null ? STDIN : input.toString();
        double[] x = read(model, source);
        int rows = x.length / model.inputs();
        model.preprocess(x, rows);
        var network = model.network(BATCH);
        List<String> header = header(model);
        Writer out;
        try {
            out = output == null
                    ? new OutputStreamWriter(stdout, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SpecException(Where.of("--output")
                    .problem("no such directory: " + output.toAbsolutePath().getParent()));
        }
        var csv = new CsvMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        CsvSchema schema = CsvSchema.builder()
                .addColumns(header, CsvSchema.ColumnType.STRING)
                .build()
                .withHeader();
        try (SequenceWriter rowsOut =
                json ? null : csv.writerFor(String[].class).with(schema).writeValues(out)) {
            double[] xb = new double[BATCH * model.inputs()];
            for (int start = 0; start < rows; start += BATCH) {
                int n = Math.min(BATCH, rows - start);
                System.arraycopy(x, start * model.inputs(), xb, 0, n * model.inputs());
                double[] outputs = network.forward(xb, n);
                for (int r = 0; r < n; r++) {
                    List<Object> cells = row(model, outputs, r);
                    if (json) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        for (int c = 0; c < header.size(); c++) {
                            line.put(header.get(c), cells.get(c) instanceof Probability p ? p.value() : cells.get(c));
                        }
                        out.write(Json.line(line));
                        out.write('\n');
                    } else {
                        rowsOut.write(cells.stream().map(this::text).toArray(String[]::new));
                    }
                }
            }
        } finally {
            // Standard output is the caller's to close.
            if (output == null) out.flush();
            else out.close();
        }
        return Main.OK;
    }

    /** The inputs, {@code rows x inputs} in the model's column order. */
    private double[] read(SavedModel model, String source) throws IOException {
        var mapper = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        byte[] bytes;
        try {
            bytes = input == null ? System.in.readAllBytes() : Files.readAllBytes(input);
        } catch (NoSuchFileException e) {
            throw new SpecException(Where.of(source).problem("no such file"));
        } catch (IOException e) {
            throw new SpecException(Where.of(source)
                    .problem(
                            Files.isDirectory(input)
                                    ? "is a directory; name a CSV file"
                                    : "cannot read: " + io.backprop.runner.run.IoFailure.cause(e)));
        }
        try (Reader reader = new java.io.StringReader(text(bytes, source));
                var parser = mapper.createParser(reader)) {
            List<String> header = new ArrayList<>();
            int headerLine = nextRow(parser, header, source);
            if (headerLine < 0) {
                throw new SpecException(Where.of(source)
                        .problem("no header row; expected the columns "
                                + (model.columns().isEmpty()
                                        ? model.inputs() + " inputs"
                                        : String.join(", ", model.columns()))));
            }
            int[] from = model.inputPositions(header, Where.of(source), headerLine);
            double[] x = new double[1024 * model.inputs()];
            Map<String, Integer> unknown = new LinkedHashMap<>();
            int rows = 0;
            List<String> cells = new ArrayList<>();
            for (int line; (line = nextRow(parser, cells, source)) >= 0; rows++) {
                if (cells.size() != header.size()) {
                    throw new SpecException(new Where(source, line, 0, "")
                            .problem("the row has " + cells.size() + " cells; the header has " + header.size()));
                }
                if ((rows + 1) * model.inputs() > x.length) x = java.util.Arrays.copyOf(x, 2 * x.length);
                if (model.encoder() != null) {
                    encodeRow(model, cells, from, source, line, x, rows * model.inputs(), unknown);
                    continue;
                }
                for (int i = 0; i < model.inputs(); i++) {
                    x[rows * model.inputs() + i] =
                            number(cells.get(from[i]), new Where(source, line, from[i] + 1, ""), header.get(from[i]));
                }
            }
            if (!unknown.isEmpty()) {
                stderr.println("predict: categories the training split did not have, given all-zero inputs: "
                        + unknown.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue() + (e.getValue() == 1 ? " cell" : " cells"))
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
            return java.util.Arrays.copyOf(x, rows * model.inputs());
        }
    }

    /** A row of raw table cells, categories as text and gaps as the training data marked them, encoded as in training. */
    private static void encodeRow(
            SavedModel model,
            List<String> cells,
            int[] from,
            String source,
            int line,
            double[] x,
            int offset,
            Map<String, Integer> unknown) {
        List<String> ordered = new ArrayList<>();
        List<String> at = new ArrayList<>();
        for (int c : from) {
            ordered.add(cells.get(c));
            at.add(source + ":" + line + ":" + (c + 1));
        }
        try {
            model.encoder().encodeText(ordered, at, x, offset, unknown);
        } catch (io.backprop.runner.plugin.PluginException e) {
            // The encoder's message starts with the cell's place; the problem keeps it as a place of its own.
            String message = e.getMessage();
            for (int i = 0; i < from.length; i++) {
                if (message.startsWith(at.get(i) + ": ")) {
                    throw new SpecException(new Where(source, line, from[i] + 1, "")
                            .problem(message.substring(at.get(i).length() + 2)));
                }
            }
            throw new SpecException(new Where(source, line, 0, "").problem(message));
        }
    }

    /** The input as UTF-8 without its byte order mark; a byte that is not UTF-8 is an error naming its place. */
    private static String text(byte[] bytes, String source) {
        try {
            return Utf8Text.decode(bytes);
        } catch (Utf8Text.NotUtf8 e) {
            throw new SpecException(new Where(source, e.line(), e.column(), "").problem(e.getMessage()));
        }
    }

    /** Reads the next row's cells into {@code cells}; gives its line, or -1 at the end of the input. */
    private static int nextRow(JsonParser parser, List<String> cells, String source) throws IOException {
        cells.clear();
        try {
            // Each row is an array of strings; its line is its first cell's.
            if (parser.nextToken() == null) return -1;
            int line = -1;
            for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY && token != null; ) {
                if (line < 0) line = parser.currentTokenLocation().getLineNr();
                cells.add(parser.getText());
            }
            return Math.max(line, 1);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new SpecException(new Where(source, at == null ? 0 : at.getLineNr(), 0, "")
                    .problem("not readable as CSV: " + e.getOriginalMessage()));
        }
    }

    private static double number(String cell, Where where, String column) {
        if (cell.isEmpty())
            throw new SpecException(where.problem("the cell in column " + column + " is empty; expected a number"));
        // Plain decimals only, as the CSV source reads them: not Java's 0x1p3, 1d or NaN.
        if (DecimalNumber.isFinite(cell)) return Double.parseDouble(cell);
        throw new SpecException(where.problem("'" + cell + "' in column " + column + " is not a finite number"));
    }

    private static List<String> header(SavedModel model) {
        List<String> names = new ArrayList<>();
        if (model.task() == Dataset.Task.REGRESSION) {
            if (model.outputs() == 1) return List.of("value");
            for (int j = 0; j < model.outputs(); j++) names.add("value_" + j);
            return names;
        }
        names.add("class");
        for (String c : model.classes()) names.add("p_" + c);
        return names;
    }

    /** The class (a string) and its probabilities, or the values, as doubles. */
    private static List<Object> row(SavedModel model, double[] outputs, int r) {
        int k = model.outputs();
        List<Object> cells = new ArrayList<>();
        if (model.task() == Dataset.Task.REGRESSION) {
            for (int j = 0; j < k; j++) cells.add(outputs[r * k + j]);
        } else if (k == 1) {
            double p = outputs[r];
            cells.add(model.classes().get(p > 0.5 ? 1 : 0));
            cells.add(new Probability(1 - p));
            cells.add(new Probability(p));
        } else {
            cells.add(model.classes().get(Dataset.labelOf(outputs, r, k)));
            for (int j = 0; j < k; j++) cells.add(new Probability(outputs[r * k + j]));
        }
        return cells;
    }

    private String text(Object cell) {
        if (cell instanceof Probability p) return Precision.format(p.value(), precision == null ? 6 : precision);
        if (cell instanceof Double v) return precision == null ? Double.toString(v) : Precision.format(v, precision);
        return cell.toString();
    }

    /** A class probability: six digits unless asked for more, where a value prints every digit. */
    private record Probability(double value) {}
}
