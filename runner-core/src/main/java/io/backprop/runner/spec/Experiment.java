package io.backprop.runner.spec;

import io.backprop.runner.engine.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One experiment file, bound and checked for shape: every key known, every value of the right type and range.
 * Plugin names and their parameters are checked later against the plugin registry.
 *
 * @param name      names the runs directory; defaults to the file name without {@code .yaml}
 * @param seed      the master seed every random stream is derived from
 * @param forceCost use the cost even where it does not fit the output activation ({@code cost: {name: .., force: true}})
 * @param directory the experiment file's directory: relative paths in it resolve against this
 * @param source    the file as the user named it, for messages
 * @param files     every file it was read from, bases first ({@code extends:}, {@code --config}), as messages name them
 * @param classWeights {@code cost: {.., class_weights: ..}} as written: {@code balanced} or a mapping of class names
 *                  to weights, checked against the data's classes later; null when not given
 */
public record Experiment(
        String name,
        long seed,
        DataSpec data,
        ModelSpec model,
        PluginRef cost,
        boolean forceCost,
        TrainingSpec training,
        MetricsSpec metrics,
        List<PluginLocation> plugins,
        Path directory,
        String source,
        List<String> files,
        Scalar classWeights) {
    /** An experiment without class weights. */
    public Experiment(
            String name,
            long seed,
            DataSpec data,
            ModelSpec model,
            PluginRef cost,
            boolean forceCost,
            TrainingSpec training,
            MetricsSpec metrics,
            List<PluginLocation> plugins,
            Path directory,
            String source,
            List<String> files) {
        this(name, seed, data, model, cost, forceCost, training, metrics, plugins, directory, source, files, null);
    }

    public Experiment {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(cost, "cost is null");
        Objects.requireNonNull(training, "training is null");
        Objects.requireNonNull(metrics, "metrics is null");
        Objects.requireNonNull(directory, "directory is null");
        Objects.requireNonNull(source, "source is null");
        plugins = List.copyOf(plugins);
        files = List.copyOf(files);
    }

    /** Where the training, validation and test examples come from. */
    public record DataSpec(PluginRef train, Holdout validation, Holdout test, List<PluginRef> preprocess) {
        public DataSpec {
            Objects.requireNonNull(train, "train is null");
            Objects.requireNonNull(validation, "validation is null");
            Objects.requireNonNull(test, "test is null");
            preprocess = List.copyOf(preprocess);
        }
    }

    /** How a validation or test set is made. */
    public sealed interface Holdout {
        /** No such set. */
        record None() implements Holdout {}

        /** The training set itself. */
        record SameAsTrain() implements Holdout {}

        /** A stratified fraction of the training source, held out of training. */
        record Split(double fraction, Where where) implements Holdout {}

        /** Another data source. */
        record Source(PluginRef ref) implements Holdout {}
    }

    public record ModelSpec(List<LayerSpec> layers, PluginRef initializer, PluginRef biasInitializer) {
        public ModelSpec {
            layers = List.copyOf(layers);
            if (layers.isEmpty()) throw new IllegalArgumentException("a model needs at least one layer");
            Objects.requireNonNull(initializer, "initializer is null");
            Objects.requireNonNull(biasInitializer, "biasInitializer is null");
        }
    }

    /**
     * A layer of a kind in {@link io.backprop.runner.layers.LayerKinds} ({@code model.layers[i].kind}, {@code dense}
     * by default), with a value for each of that kind's keys (defaults filled in): an Integer, a Double or a
     * PluginRef. Every kind has an {@code activation}.
     */
    public record LayerSpec(String kind, Map<String, Object> values, Where where) {
        public LayerSpec {
            Objects.requireNonNull(kind, "kind is null");
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
            if (!(values.get("activation") instanceof PluginRef))
                throw new IllegalArgumentException("a layer needs an activation");
        }

        /** The units the layer declares; 0 for a kind whose width is the layer below's. */
        public int units() {
            return values.get("units") instanceof Integer u ? u : 0;
        }

        public PluginRef activation() {
            return (PluginRef) values.get("activation");
        }

        /** The probability each output is dropped in training; 0 for a kind without dropout. */
        public double dropout() {
            return values.get("dropout") instanceof Double d ? d : 0;
        }
    }

    /**
     * {@code checkpointEvery}: epochs between checkpoints in the run directory, 0 for none; {@code threads}: threads
     * for the large products, which change the speed and never the results.
     */
    public record TrainingSpec(
            PluginRef optimizer,
            PluginRef schedule,
            int batchSize,
            double l2,
            int maxEpochs,
            boolean shuffle,
            int checkpointEvery,
            int threads,
            double clipNorm,
            Precision precision,
            List<PluginRef> stopping) {
        public TrainingSpec {
            Objects.requireNonNull(precision, "precision is null");
            Objects.requireNonNull(optimizer, "optimizer is null");
            Objects.requireNonNull(schedule, "schedule is null");
            if (batchSize < 1) throw new IllegalArgumentException("batchSize < 1: " + batchSize);
            if (!(l2 >= 0) || Double.isInfinite(l2)) throw new IllegalArgumentException("l2: " + l2);
            if (maxEpochs < 1) throw new IllegalArgumentException("maxEpochs < 1: " + maxEpochs);
            if (checkpointEvery < 0) throw new IllegalArgumentException("checkpointEvery < 0: " + checkpointEvery);
            if (threads < 1) throw new IllegalArgumentException("threads < 1: " + threads);
            if (!(clipNorm >= 0) || Double.isInfinite(clipNorm))
                throw new IllegalArgumentException("clipNorm: " + clipNorm);
            stopping = List.copyOf(stopping);
        }
    }

    public record MetricsSpec(List<PluginRef> exporters) {
        public MetricsSpec {
            exporters = List.copyOf(exporters);
        }
    }

    /** A plugin the experiment needs: a jar, or a directory of plugins; resolved against the experiment's directory. */
    public record PluginLocation(Path path, Where where) {
        public PluginLocation {
            Objects.requireNonNull(path, "path is null");
            Objects.requireNonNull(where, "where is null");
        }
    }
}
