package io.backprop.runner.cli;

import io.backprop.runner.engine.Evaluator;
import io.backprop.runner.evaluation.ClassificationMetrics;
import io.backprop.runner.evaluation.Metrics;
import io.backprop.runner.evaluation.RegressionMetrics;
import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.run.Json;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.Scalar;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Measure a saved model on a data set: the run's test split by default, another split, or any data source.")
final class EvaluateCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
    Path run;

    @Option(
            names = "--split",
            paramLabel = "SPLIT",
            description = "test (default), validation or train: the run's own split,"
                    + " drawn again from its data, seed and config.")
    String split = "test";

    @Option(
            names = "--data",
            paramLabel = "SOURCE",
            description = "Other data instead: a CSV file (labelled in the column the run"
                    + " used, else the last), or a data source in YAML: '{name: csv, path: more.csv}'. Relative paths are relative to"
                    + " the working directory; the run's own data files are not needed.")
    String data;

    @Option(
            names = "--precision",
            paramLabel = "DIGITS",
            description = "Significant digits to print (default 6; 17 reads back exactly).")
    Integer precision;

    @Option(names = "--json", description = "Print the result as JSON, the numbers exact.")
    boolean json;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    EvaluateCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() {
        Precision.check(precision, json);
        // Only the split needs the run's own data; the model brings its inputs, classes and fitted preprocessing.
        SavedRun saved = data == null ? SavedRun.read(run, plugins, stderr) : SavedRun.model(run, plugins, stderr);
        Dataset dataset = data == null ? saved.model().prepare(split(saved), Where.of("--split")) : source(saved);
        var network = saved.model().network(256);
        // The plain cost: a model trained with class weights is measured without them, as its run reported it.
        var evaluator = new Evaluator(network, saved.model().cost().create());
        double[] score = evaluator.evaluate(dataset);
        double[] outputs = evaluator.outputs(dataset);
        String second = dataset.task() == Dataset.Task.CLASSIFICATION ? "accuracy" : "rmse";
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("data", data == null ? split : data);
        result.put("examples", dataset.rows());
        result.put("loss", score[0]);
        result.put(second, score[1]);
        result.putAll(Metrics.of(outputs, dataset));
        Map<String, Double> classWeights = saved.model().classWeights();
        if (!classWeights.isEmpty()) {
            result.put("class_weights", classWeights);
            result.put("metrics_weighted", false);
        }
        if (json) stdout.println(Json.line(result));
        else {
            int digits = precision == null ? 6 : precision;
            stdout.printf(
                    Locale.ROOT,
                    "%s: %s, loss %s, %s %s%n",
                    result.get("data"),
                    io.backprop.runner.spec.Plural.of(dataset.rows(), "example"),
                    Precision.format(score[0], digits),
                    second,
                    Precision.format(score[1], digits));
            if (dataset.task() == Dataset.Task.CLASSIFICATION) {
                var figures = ClassificationMetrics.of(
                        outputs, dataset.y(), dataset.rows(), dataset.outputs(), dataset.classes());
                stdout.print(MetricsTables.classification(figures, digits));
            } else {
                var figures = RegressionMetrics.of(outputs, dataset.y(), dataset.rows(), dataset.outputs());
                stdout.printf(
                        Locale.ROOT,
                        "MAE %s, R² %s%n",
                        MetricsTables.number(figures.mae(), digits),
                        MetricsTables.number(figures.r2(), digits));
            }
            if (!classWeights.isEmpty()) {
                stdout.println("trained with class weights " + classWeights + "; these figures are unweighted");
            }
        }
        return Main.OK;
    }

    private Dataset split(SavedRun saved) {
        Dataset d = switch (split) {
            case "test" -> saved.setup().test();
            case "validation" -> saved.setup().validation();
            case "train" -> saved.setup().train();
            default ->
                throw new SpecException(
                        Where.of("--split").problem("expected test, validation or train, got '" + split + "'"));
        };
        if (d == null) {
            throw new SpecException(Where.of("--split")
                    .problem("the run has no " + split + " set; use --split train or --data SOURCE"));
        }
        return d;
    }

    private Dataset source(SavedRun saved) {
        var model = saved.model();
        PluginRef ref = isCsvFile(data) ? csv(saved) : ExperimentReader.pluginRef(data, "data source", "--data");
        var resolved = saved.registry().resolve(PluginKind.DATA_SOURCE, ref, Path.of(""));
        Dataset raw;
        try {
            raw = resolved.call(() -> resolved.create().load(new DataContext(Path.of(""), 0, model.classes())));
        } catch (PluginException e) {
            throw new SpecException(ref.where().problem(e.getMessage()));
        }
        return model.prepare(raw, ref.where());
    }

    /** A path ending in .csv, or naming a file, rather than a data source in YAML. */
    private static boolean isCsvFile(String data) {
        if (data.toLowerCase(Locale.ROOT).endsWith(".csv")) return true;
        try {
            return Files.isRegularFile(Path.of(data));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** {name: csv, path: DATA}, read as the run read its CSV: the same label column (else the last), separator and settings. */
    private PluginRef csv(SavedRun saved) {
        Where where = Where.of("--data");
        Map<String, Scalar> params = new LinkedHashMap<>();
        params.put("path", new Scalar(data, Scalar.Type.STRING, where));
        PluginRef train = saved.experiment().data().train();
        boolean trainedOnCsv = train.name().equals("csv");
        String label = !saved.model().label().isEmpty()
                ? saved.model().label()
                : trainedOnCsv && train.params().containsKey("label")
                        ? train.params().get("label").text()
                        : "";
        if (!label.isEmpty()) params.put("label", new Scalar(label, Scalar.Type.STRING, where));
        params.put("task", new Scalar(saved.model().task().name().toLowerCase(Locale.ROOT), Scalar.Type.STRING, where));
        if (trainedOnCsv) {
            // The separator and how cells were read (types, missing markers, which columns) as in training.
            train.params().forEach((k, v) -> {
                if (!List.of("path", "label", "task").contains(k)) params.put(k, v);
            });
        }
        return new PluginRef("data source", "csv", params, where);
    }
}
