package io.backprop.runner.cli;

import io.backprop.runner.encoding.ColumnEncoder;
import io.backprop.runner.plugin.table.Table;
import io.backprop.runner.run.Json;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.Bases;
import io.backprop.runner.spec.Plural;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.SweepPlan;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Check experiment files (schema, plugins, parameters, data) without training. For table data, show"
                        + " each column's inferred type, missing cells, categories and what fills a gap.")
final class ValidateCommand implements Callable<Integer>, Main.Streams {
    /** Categories shown per column in the text report; --json gives them all. */
    private static final int SHOWN = 8;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Experiment files.")
    List<String> files;

    @Option(names = "--json", description = "Write one JSON object per file instead: its examples, inputs and columns.")
    boolean json;

    @Mixin
    ExperimentOptions experiment = new ExperimentOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    ValidateCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws java.io.IOException {
        var problems = new Problems();
        for (String file : files) {
            try {
                Setup setup = experiment.load(file, stderr);
                String sweep = "";
                if (experiment.configs.isEmpty() && SweepPlan.hasSweep(Path.of(file), file)) {
                    var plan = SweepPlan.read(Path.of(file), file);
                    checkPoints(plan);
                    sweep = ", a sweep of " + Plural.of(plan.size(), "trial");
                }
                if (json) {
                    stdout.println(Json.line(report(file, setup)));
                    continue;
                }
                stdout.println(file + ": ok (" + Plural.of(setup.train().rows(), "training example") + ", "
                        + Plural.of(setup.experiment().model().layers().size(), "layer") + sweep + ")");
                if (setup.sourceTable() != null) printColumns(setup);
            } catch (SpecException e) {
                // A file meant only to be extended may lack keys: that is said, not failed.
                var by = Bases.extendedBy(Path.of(file));
                if (by.isEmpty() || !Bases.onlyMissing(e) || !experiment.configs.isEmpty()) {
                    problems.addAll(e);
                    continue;
                }
                stdout.println(file + ": ok as a base of "
                        + String.join(
                                ", ",
                                by.stream().map(p -> p.getFileName().toString()).toList()) + "; alone it lacks "
                        + String.join(
                                ", ",
                                e.problems().stream().map(p -> p.where().path()).toList()));
            }
        }
        problems.throwIfAny();
        return Main.OK;
    }

    private void printColumns(Setup setup) {
        Table table = setup.sourceTable();
        stdout.println("  " + table.source() + ": " + table.columns().size() + " input columns, "
                + setup.train().inputs() + " inputs once encoded"
                + (table.droppedRows() == 0 ? "" : "; " + table.droppedRows() + " rows left out for missing values"));
        int width =
                table.columns().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Table.Column c : table.columns()) {
            var line = new StringBuilder(String.format(
                    Locale.ROOT,
                    "    %-" + width + "s  %-11s  %d missing",
                    c.name(),
                    c.type().word(),
                    c.missing()));
            if (c.type() == Table.Type.CATEGORICAL) {
                List<String> shown =
                        c.levels().subList(0, Math.min(SHOWN, c.levels().size()));
                line.append(", ")
                        .append(c.levels().size())
                        .append(c.levels().size() == 1 ? " category: " : " categories: ")
                        .append(String.join(", ", shown))
                        .append(c.levels().size() > SHOWN ? ", ..." : "");
            }
            String fill = fill(setup.encoder(), c);
            if (c.missing() > 0 && fill != null) line.append("; fills ").append(fill);
            if (c.missing() > 0 && c.impute().equals("drop_row")) line.append("; rows with a gap are left out");
            if (!c.note().isEmpty()) line.append(" (").append(c.note()).append(")");
            stdout.println(line);
        }
    }

    /** What fills a gap, as fitted on the training split: {@code the mean 43.9}. */
    private static String fill(ColumnEncoder encoder, Table.Column c) {
        String value = encoder == null ? null : encoder.fillOf(c.name());
        if (value == null) return null;
        String what = c.impute().replace('_', ' ');
        return (c.impute().equals("constant") ? "the constant " : "the training split's " + what + " ")
                + (c.type() == Table.Type.CATEGORICAL
                        ? "'" + value + "'"
                        : new java.math.BigDecimal(value)
                                .round(new java.math.MathContext(6))
                                .stripTrailingZeros()
                                .toPlainString());
    }

    private static Map<String, Object> report(String file, Setup setup) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("ok", true);
        m.put("training_examples", setup.train().rows());
        m.put("layers", setup.experiment().model().layers().size());
        m.put("inputs", setup.train().inputs());
        Table table = setup.sourceTable();
        if (table == null) return m;
        m.put("source", table.source());
        m.put("label", setup.train().labelName());
        m.put("dropped_rows", table.droppedRows());
        List<Object> columns = new ArrayList<>();
        for (Table.Column c : table.columns()) {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("name", c.name());
            column.put("type", c.type().word());
            column.put("missing", c.missing());
            if (c.type() == Table.Type.CATEGORICAL) column.put("categories", c.levels());
            column.put("impute", c.impute());
            String fill = setup.encoder() == null ? null : setup.encoder().fillOf(c.name());
            column.put(
                    "fill",
                    fill == null || c.type() == Table.Type.CATEGORICAL ? fill : (Object) Double.parseDouble(fill));
            if (!c.note().isEmpty()) column.put("note", c.note());
            columns.add(column);
        }
        m.put("columns", columns);
        if (setup.encoder() != null) m.put("encoded_inputs", setup.encoder().outputNames());
        return m;
    }

    /** Every point's plugins and parameters, each mistake said once, at the sweep block's line. */
    private void checkPoints(SweepPlan plan) {
        var found = new Problems();
        var reported = new java.util.HashSet<String>();
        for (var point : plan.pointExperiments()) {
            try {
                Setup.of(point, experiment.plugins.registry(point.plugins(), stderr));
            } catch (SpecException e) {
                e.problems().stream()
                        .filter(p -> reported.add(p.format()))
                        .forEach(p -> found.add(p.where(), p.message()));
            }
        }
        found.throwIfAny();
    }
}
