package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.engine.Evaluator;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.run.SavedModel;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.Where;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * summary.json's figures of real runs against scikit-learn 1.2 (Debian's python3-sklearn), computed from the same
 * outputs: the model's outputs on each split, from model.json as {@code evaluate} takes them, and the targets. Every
 * key of every split must agree to 1e-12 (relative to the larger of the value and 1), counts exactly, and a null must
 * be where scikit-learn's value is undefined. Without python3 and scikit-learn the test fails.
 */
@Tag("services")
class ScikitLearnMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest difference found in a run's comparison, for the record. */
    private static final double[] largest = new double[1];

    private static final Map<String, List<String>> RUNS = Map.of(
            "iris",
                    List.of(
                            ExperimentsTest.EXPERIMENTS.resolve("iris.yaml").toString(),
                            "--set",
                            "training.max_epochs=15"),
            "penguins",
                    List.of(
                            ExperimentsTest.EXPERIMENTS.resolve("penguins.yaml").toString(),
                            "--set",
                            "training.max_epochs=2"),
            "sine",
                    List.of(
                            ExperimentsTest.EXPERIMENTS.resolve("sine.yaml").toString(),
                            "--set",
                            "training.max_epochs=30"));
    /** A binary task with one sigmoid output, and one with two softmax outputs; noisy moons so that they err. */
    private static final String MOONS = """
            name: moons-OUTPUT
            seed: 4
            data: {train: {name: moons, samples: 300, noise: 0.35}, validation: {split: 0.2}, test: {split: 0.25}}
            model:
              layers: [{units: 6, activation: tanh}, LAYER]
              initializer: xavier-normal
            cost: COST
            training: {optimizer: {name: adam, learning_rate: 0.01}, batch_size: 16, max_epochs: 8}
            """;

    /** scikit-learn's figures for one split; reads {"task", "rows", "cols", "classes", "outputs", "targets"}. */
    private static final String SKLEARN = """
            import json, sys
            import numpy as np
            import sklearn
            from sklearn import metrics as m
            from sklearn.preprocessing import label_binarize
            assert sklearn.__version__.startswith("1.2"), sklearn.__version__
            d = json.load(open(sys.argv[1]))
            rows, cols = d["rows"], d["cols"]
            out = np.array(d["outputs"], dtype=np.float64).reshape(rows, cols)
            y = np.array(d["targets"], dtype=np.float64).reshape(rows, cols)
            r = {"examples": rows}
            def none(v):
                return None if v is None or np.isnan(v) else float(v)
            if d["task"] == "regression":
                r["loss"] = float(m.mean_squared_error(y.ravel(), out.ravel()) * cols / 2)  # the quadratic cost
                r["rmse"] = float(np.sqrt(m.mean_squared_error(y.ravel(), out.ravel())))
                r["mae"] = float(m.mean_absolute_error(y, out))
                r["r2"] = float(m.r2_score(y, out))
            else:
                k = len(d["classes"])
                if cols == 1:
                    truth = (y[:, 0] > 0.5).astype(int)
                    pred = (out[:, 0] > 0.5).astype(int)
                    proba = np.column_stack([1 - out[:, 0], out[:, 0]])
                    scores = np.column_stack([-out[:, 0], out[:, 0]])  # 1 - p ranked exactly
                else:
                    truth = y.argmax(axis=1)
                    pred = out.argmax(axis=1)
                    proba = out
                    scores = out
                labels = list(range(k))
                r["accuracy"] = float(m.accuracy_score(truth, pred))
                r["log_loss"] = float(m.log_loss(truth, proba, labels=labels, eps=1e-15))
                r["loss"] = r["log_loss"]  # the cross-entropy costs' loss
                r["balanced_accuracy"] = float(m.balanced_accuracy_score(truth, pred))
                r["macro_f1"] = float(m.f1_score(truth, pred, average="macro"))
                r["weighted_f1"] = float(m.f1_score(truth, pred, average="weighted"))
                cm = m.confusion_matrix(truth, pred, labels=labels)
                r["classes"] = d["classes"]
                r["confusion_matrix"] = cm.tolist()
                p, rec, f1, support = m.precision_recall_fscore_support(truth, pred, labels=labels, zero_division=0)
                per = []
                for c in labels:
                    present = (truth == c).any()
                    per.append({"class": d["classes"][c],
                                "precision": float(p[c]) if cm[:, c].sum() > 0 else None,
                                "recall": float(rec[c]) if present else None,
                                "f1": float(f1[c]) if cm[c, :].sum() + cm[:, c].sum() > 0 else None,
                                "support": int(support[c]),
                                "roc_auc": float(m.roc_auc_score(truth == c, scores[:, c])) if present and not (truth == c).all() else None,
                                "average_precision": float(m.average_precision_score(truth == c, scores[:, c])) if present else None})
                r["per_class"] = per
                if k == 2:
                    r["roc_auc"] = float(m.roc_auc_score(truth, scores[:, 1]))
                    r["average_precision"] = float(m.average_precision_score(truth, scores[:, 1]))
                else:
                    r["roc_auc"] = float(m.roc_auc_score(truth, proba, multi_class="ovr", average="macro", labels=labels))
                    r["average_precision"] = float(m.average_precision_score(label_binarize(truth, classes=labels), scores, average="macro"))
            print(json.dumps(r))
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iris", "penguins", "sine", "moons-sigmoid", "moons-softmax"})
    void everyFigureOfEverySplitIsScikitLearns(String name, @TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>();
        if (name.startsWith("moons")) {
            boolean sigmoid = name.endsWith("sigmoid");
            Path file = Files.writeString(
                    dir.resolve(name + ".yaml"),
                    MOONS.replace("OUTPUT", sigmoid ? "sigmoid" : "softmax")
                            .replace(
                                    "LAYER",
                                    sigmoid ? "{units: 1, activation: sigmoid}" : "{units: 2, activation: softmax}")
                            .replace("COST", sigmoid ? "binary-cross-entropy" : "cross-entropy"));
            args.add(file.toString());
        } else {
            args.addAll(RUNS.get(name));
        }
        args.addAll(List.of("--out", dir.resolve("runs").toString(), "--quiet"));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        Path run = ExperimentsTest.runDirectory(cli);
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());

        var experiment = ExperimentReader.read(run.resolve("config.yaml"), "config.yaml");
        Registry registry = Registry.builtIn().withPlugins(experiment.plugins());
        Setup setup = Setup.unpreprocessed(experiment, registry);
        SavedModel model = SavedModel.read(run.resolve("model.json"), "model.json", registry);
        int compared = 0;
        largest[0] = 0;
        for (String split : List.of("train", "validation", "test")) {
            Dataset raw = split.equals("train")
                    ? setup.train()
                    : split.equals("validation") ? setup.validation() : setup.test();
            if (raw == null) {
                assertTrue(summary.get(split).isNull(), split);
                continue;
            }
            Dataset data = model.prepare(raw, Where.of(split));
            double[] outputs = new Evaluator(model.network(256), model.cost().create()).outputs(data);
            JsonNode expected = sklearn(data, outputs, dir.resolve(split + ".json"));
            JsonNode actual = summary.get(split);
            if (name.equals("moons-sigmoid")) {
                // The same outputs to two decimals: many tied scores, each a threshold of its own in both.
                double[] tied = outputs.clone();
                for (int i = 0; i < tied.length; i++) tied[i] = Math.round(tied[i] * 100) / 100.0;
                var ours = (com.fasterxml.jackson.databind.node.ObjectNode)
                        JSON.valueToTree(io.backprop.runner.evaluation.Metrics.of(tied, data));
                var theirs = (com.fasterxml.jackson.databind.node.ObjectNode)
                        sklearn(data, tied, dir.resolve(split + "-tied.json"));
                theirs.remove(List.of("loss", "accuracy"));
                assertEquals(ours.size(), theirs.size(), split + " tied: every key compared");
                compared += compare(theirs, ours, name + " " + split + " tied");
            }
            List<String> keys = new ArrayList<>();
            actual.fieldNames().forEachRemaining(keys::add);
            List<String> theirs = new ArrayList<>();
            expected.fieldNames().forEachRemaining(theirs::add);
            assertEquals(
                    new java.util.TreeSet<>(theirs), new java.util.TreeSet<>(keys), split + ": every key compared");
            compared += compare(expected, actual, name + " " + split);
        }
        assertTrue(compared >= (name.equals("sine") ? 10 : 60), compared + " values compared");
        System.out.printf(
                java.util.Locale.ROOT,
                "%s: %d values as scikit-learn's, the largest difference %.3g%n",
                name,
                compared,
                largest[0]);
    }

    /** scikit-learn's figures of {@code outputs} against the data's targets, by {@code /usr/bin/python3}. */
    private static JsonNode sklearn(Dataset data, double[] outputs, Path input) throws Exception {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("task", data.task() == Dataset.Task.CLASSIFICATION ? "classification" : "regression");
        d.put("rows", data.rows());
        d.put("cols", data.outputs());
        d.put("classes", data.classes());
        d.put("outputs", outputs);
        d.put("targets", data.y());
        JSON.writeValue(input.toFile(), d);
        Process process = new ProcessBuilder("/usr/bin/python3", "-c", SKLEARN, input.toString()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(
                0, process.exitValue(), "/usr/bin/python3 with scikit-learn 1.2 (python3-sklearn) is needed: " + err);
        return JSON.readTree(out);
    }

    /** Compares every value of {@code expected} with {@code actual}; returns how many numbers and nulls were compared. */
    private static int compare(JsonNode expected, JsonNode actual, String path) {
        if (expected.isObject()) {
            int n = 0;
            for (Iterator<String> keys = expected.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                assertTrue(actual.has(key), path + "." + key + " missing");
                n += compare(expected.get(key), actual.get(key), path + "." + key);
            }
            return n;
        }
        if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path + " length");
            int n = 0;
            for (int i = 0; i < expected.size(); i++)
                n += compare(expected.get(i), actual.get(i), path + "[" + i + "]");
            return n;
        }
        if (expected.isIntegralNumber()) {
            assertTrue(actual.isIntegralNumber(), path + ": " + actual + " where scikit-learn counts " + expected);
            assertEquals(expected.longValue(), actual.longValue(), path);
            return 1;
        }
        if (expected.isNull() || expected.isTextual()) {
            assertEquals(expected, actual, path);
            return 1;
        }
        assertTrue(actual.isNumber(), path + ": " + actual + " where scikit-learn has " + expected);
        double e = expected.doubleValue();
        double a = actual.doubleValue();
        assertEquals(e, a, 1e-12 * Math.max(1, Math.abs(e)), path);
        largest[0] = Math.max(largest[0], Math.abs(e - a));
        return 1;
    }
}
