package io.backprop.runner.run;

import io.backprop.runner.engine.Precision;
import io.backprop.runner.layers.LayerKey;
import io.backprop.runner.layers.LayerKinds;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.Experiment;
import io.backprop.runner.spec.Experiment.Holdout;
import io.backprop.runner.spec.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The experiment as it ran: every default filled in, written back as an experiment file that runs again. */
public final class ResolvedConfig {
    private ResolvedConfig() {}

    public static String yaml(Setup setup) {
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.AUTO);
        options.setIndent(2);
        options.setWidth(120);
        // Values shared between places (an empty list) are written out at each: no anchors, no aliases.
        options.setDereferenceAliases(true);
        // The source is a path as typed: a line break in it would end the comment and start YAML of its own.
        var files = setup.experiment().files();
        String from = files.size() <= 1
                ? ""
                : "# from " + Printable.oneLine(String.join(", ", files)) + ", merged in that order\n";
        return "# " + Printable.oneLine(setup.experiment().source()) + ", resolved: every default filled in\n" + from
                + new Yaml(options).dump(map(setup));
    }

    static Map<String, Object> map(Setup setup) {
        Experiment e = setup.experiment();
        var sources = setup.dataSources();
        int next = 1;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train", ref(sources.get(0)));
        data.put(
                "validation",
                holdout(
                        e.data().validation(),
                        e.data().validation() instanceof Holdout.Source ? sources.get(next++) : null));
        data.put(
                "test", holdout(e.data().test(), e.data().test() instanceof Holdout.Source ? sources.get(next) : null));
        data.put(
                "preprocess",
                setup.preprocessorPlugins().stream().map(ResolvedConfig::ref).toList());

        List<Object> layers = new ArrayList<>();
        for (int i = 0; i < e.model().layers().size(); i++) {
            Map<String, Object> layer = new LinkedHashMap<>();
            var spec = e.model().layers().get(i);
            if (!spec.kind().equals(LayerKinds.DEFAULT)) layer.put("kind", spec.kind());
            // Each key as resolved, but a default left out as it was before kinds (dropout 0).
            for (LayerKey key : LayerKinds.of(spec.kind()).keys()) {
                Object value = spec.values().get(key.name());
                if (key.type() == LayerKey.Type.ACTIVATION)
                    layer.put(key.name(), ref(setup.activations().get(i)));
                else if (key.required() || !value.equals(key.fallback())) layer.put(key.name(), value);
            }
            layers.add(layer);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("layers", layers);
        model.put("initializer", ref(setup.initializer()));
        model.put("bias_initializer", ref(setup.biasInitializer()));

        var t = e.training();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("optimizer", ref(setup.optimizer()));
        training.put("schedule", ref(setup.schedule()));
        training.put("batch_size", t.batchSize());
        training.put("l2", t.l2());
        training.put("max_epochs", t.maxEpochs());
        training.put("shuffle", t.shuffle());
        training.put("checkpoint_every", t.checkpointEvery());
        training.put("threads", t.threads());
        if (t.clipNorm() > 0) training.put("clip_norm", t.clipNorm());
        // Written where it is not the default, so the configs of earlier runs stay as they were.
        if (t.precision() != Precision.FLOAT64)
            training.put("precision", t.precision().yamlName());
        training.put(
                "stopping", setup.stopping().stream().map(ResolvedConfig::ref).toList());

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", e.name());
        root.put("seed", e.seed());
        root.put("data", data);
        root.put("model", model);
        Object cost = ref(setup.cost());
        if (e.forceCost() || e.classWeights() != null) {
            Map<String, Object> withKeys = new LinkedHashMap<>();
            withKeys.put("name", setup.cost().ref().name());
            if (e.forceCost()) withKeys.put("force", true);
            if (e.classWeights() != null) withKeys.put("class_weights", classWeights(e.classWeights()));
            withKeys.putAll(setup.cost().params().asMap());
            cost = withKeys;
        }
        root.put("cost", cost);
        root.put("training", training);
        root.put(
                "metrics",
                Map.of(
                        "exporters",
                        setup.exporters().stream().map(ResolvedConfig::ref).toList()));
        root.put("plugins", setup.pluginLocations().stream().map(Path::toString).toList());
        return root;
    }

    /**
     * A bare name when the plugin takes no parameters, else {name, every parameter}; paths absolute, so that the
     * config runs from the run directory too.
     */
    static Object ref(Resolved<?> r) {
        if (r.params().asMap().isEmpty()) return r.ref().name();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.ref().name());
        // Lists and maps copied: YAML would write one object met twice (two empty lists) as an anchor and an alias.
        r.params()
                .asMap()
                .forEach((k, v) -> m.put(
                        k,
                        v instanceof List<?> l
                                ? new ArrayList<>(l)
                                : v instanceof Map<?, ?> map ? new LinkedHashMap<>(map) : v));
        for (ParamSpec spec : r.provider().parameters()) {
            if (spec.type() == ParamSpec.Type.PATH)
                m.put(spec.name(), r.params().path(spec.name()).toAbsolutePath().toString());
        }
        return m;
    }

    /** {@code balanced}, or the mapping as written, its weights as numbers: a resumed run derives the same weights. */
    private static Object classWeights(io.backprop.runner.spec.Scalar spec) {
        if (spec.type() != io.backprop.runner.spec.Scalar.Type.MAP) return spec.text();
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < spec.keys().size(); i++)
            m.put(spec.keys().get(i), spec.items().get(i).asDouble("a number"));
        return m;
    }

    private static Object holdout(Holdout h, Resolved<?> source) {
        if (h instanceof Holdout.SameAsTrain) return "train";
        if (h instanceof Holdout.Split s) return Map.of("split", s.fraction());
        if (h instanceof Holdout.Source) return ref(source);
        return null;
    }
}
