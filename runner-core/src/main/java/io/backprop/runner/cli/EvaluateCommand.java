package io.backprop.runner.cli;

import io.backprop.runner.engine.Evaluator;
import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.run.Json;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a saved model on a data set: the run's test split by default, another split, or any data source.")
final class EvaluateCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
    Path run;

    @Option(names = "--split", paramLabel = "SPLIT", description = "test (default), validation or train: the run's own split.")
    String split = "test";

    @Option(names = "--data", paramLabel = "SOURCE", description = "A data source instead, in YAML: '{name: csv, path: more.csv}'."
            + " Relative paths are relative to the working directory; the model's preprocessing is applied.")
    String data;

    @Option(names = "--json", description = "Print the result as JSON.")
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
        SavedRun saved = SavedRun.read(run, plugins, stderr);
        Dataset dataset = data == null ? split(saved) : source(saved);
        var network = saved.model().network(256);
        double[] score = new Evaluator(network, saved.model().cost().create()).evaluate(dataset);
        String second = dataset.task() == Dataset.Task.CLASSIFICATION ? "accuracy" : "rmse";
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("data", data == null ? split : data);
        result.put("examples", dataset.rows());
        result.put("loss", score[0]);
        result.put(second, score[1]);
        if (json) stdout.println(Json.line(result));
        else stdout.printf(Locale.ROOT, "%s: %d examples, loss %.6g, %s %.6g%n", result.get("data"), dataset.rows(), score[0], second, score[1]);
        return Main.OK;
    }

    private Dataset split(SavedRun saved) {
        Dataset d = switch (split) {
            case "test" -> saved.setup().test();
            case "validation" -> saved.setup().validation();
            case "train" -> saved.setup().train();
            default -> throw new SpecException(Where.of("--split").problem("expected test, validation or train, got '" + split + "'"));
        };
        if (d == null) {
            throw new SpecException(Where.of("--split").problem("the run has no " + split + " set; use --split train or --data SOURCE"));
        }
        return d;
    }

    private Dataset source(SavedRun saved) {
        var ref = ExperimentReader.pluginRef(data, "data source", "--data");
        var resolved = saved.registry().resolve(PluginKind.DATA_SOURCE, ref, Path.of(""));
        Dataset raw;
        try {
            raw = resolved.call(() -> resolved.create().load(new DataContext(Path.of(""), 0)));
        } catch (PluginException e) {
            throw new SpecException(ref.where().problem(e.getMessage()));
        }
        var model = saved.model();
        if (raw.inputs() != model.inputs() || raw.outputs() != model.outputs()) {
            throw new SpecException(ref.where().problem("has " + raw.inputs() + " inputs and " + raw.outputs()
                    + " outputs; the model takes " + model.inputs() + " and gives " + model.outputs()));
        }
        double[] x = raw.x().clone();
        model.preprocess(x, raw.rows());
        return new Dataset(x, raw.y(), raw.rows(), raw.inputs(), raw.outputs(), raw.task(), raw.classes());
    }
}
