package io.backprop.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backprop.runner.engine.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A run's summary.json. {@link #write} gives the keys in this order, every one written (null when unknown) except
 * {@code class_weights} and {@code metrics_weighted}, there only when the cost weighs classes, and
 * {@code unknown_categories}, there only when the data have categorical columns; NaN and infinities are written as
 * null. {@link #read} takes what any version wrote: keys it does not know are ignored, and a key missing or of
 * another type reads as null.
 *
 * @param status            null when the file has none this version knows
 * @param stopReason        why training ended, or why the run failed
 * @param stoppedBy         the stopping rule that ended training, or null
 * @param train             the kept weights' figures on each split; null for a split the run has none of
 * @param classWeights      the cost's weight of each class by name, or null
 * @param metricsWeighted   whether the splits' figures weigh classes (they do not); null without class weights
 * @param unknownCategories for each split, the cells of each categorical column whose category training did not have
 * @param provenance        where the results came from ({@link Provenance}), as summary.json holds it
 */
public record RunSummary(
        String experiment,
        String run,
        Status status,
        String stopReason,
        String stoppedBy,
        Integer epochs,
        Integer bestEpoch,
        Integer keptEpoch,
        Long seed,
        Split train,
        Split validation,
        Split test,
        Map<String, Double> classWeights,
        Boolean metricsWeighted,
        Map<String, Map<String, Integer>> unknownCategories,
        Double wallSeconds,
        Double trainingSeconds,
        Double trainingLoopSeconds,
        Double parallelShare,
        Long examples,
        Double examplesPerSecond,
        ObjectNode provenance) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a run ended, as summary.json's {@code status} spells it. */
    public enum Status {
        COMPLETED,
        STOPPED,
        DIVERGED,
        INTERRUPTED,
        FAILED;

        /** The engine's outcome as a status. */
        public static Status of(Outcome.Status status) {
            return valueOf(status.name());
        }

        /** The status spelled {@code text}; null for one this version does not know. */
        public static Status parse(String text) {
            for (Status s : values()) if (s.text().equals(text)) return s;
            return null;
        }

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the run ended by itself (completed, stopped by a rule or diverged), rather than failed or interrupted. */
        public boolean finished() {
            return this == COMPLETED || this == STOPPED || this == DIVERGED;
        }
    }

    /** A split's second figure beside the loss: accuracy for classification, RMSE for regression. */
    public enum Measure {
        ACCURACY,
        RMSE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A split's figures: the loss and {@code measure}'s {@code value} as training measured them, then
     * {@code metrics}, the task's other figures ({@link io.backprop.runner.evaluation.Metrics}), null when the run did
     * not measure them (it failed).
     */
    public record Split(Double loss, Measure measure, Double value, ObjectNode metrics) {
        /** The accuracy, or null for a regression split. */
        public Double accuracy() {
            return measure == Measure.ACCURACY ? value : null;
        }

        /** The RMSE, or null for a classification split. */
        public Double rmse() {
            return measure == Measure.RMSE ? value : null;
        }

        /** The split as summary.json's keys in their order. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", loss);
            m.put(measure.key(), value);
            if (metrics != null) metrics.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue()));
            return m;
        }

        /** A split of summary.json; null when it is not an object with accuracy or rmse. */
        static Split of(JsonNode node) {
            if (node == null || !node.isObject()) return null;
            Measure measure = node.has("accuracy") ? Measure.ACCURACY : node.has("rmse") ? Measure.RMSE : null;
            if (measure == null) return null;
            ObjectNode metrics = ((ObjectNode) node).deepCopy();
            metrics.remove("loss");
            metrics.remove(measure.key());
            return new Split(
                    number(node.get("loss")),
                    measure,
                    number(node.get(measure.key())),
                    metrics.isEmpty() ? null : metrics);
        }
    }

    /**
     * {@code value} (maps, lists, numbers, strings) as the tree {@link #read} would give back for it once written:
     * non-finite numbers null, small whole numbers ints. Summaries are built with it, so that one read back equals
     * the one written.
     */
    public static ObjectNode tree(Map<String, ?> value) {
        try {
            return (ObjectNode) JSON.readTree(Json.line(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes summary.json, pretty-printed, replacing the file atomically. */
    public void write(Path file) throws IOException {
        Json.write(file, toMap());
    }

    /** The summary as summary.json's keys in their order. */
    public Map<String, Object> toMap() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("experiment", experiment);
        s.put("run", run);
        s.put("status", status == null ? null : status.text());
        s.put("stop_reason", stopReason);
        s.put("stopped_by", stoppedBy);
        s.put("epochs", epochs);
        s.put("best_epoch", bestEpoch);
        s.put("kept_epoch", keptEpoch);
        s.put("seed", seed);
        s.put("train", train == null ? null : train.toMap());
        s.put("validation", validation == null ? null : validation.toMap());
        s.put("test", test == null ? null : test.toMap());
        if (classWeights != null) s.put("class_weights", classWeights);
        if (metricsWeighted != null) s.put("metrics_weighted", metricsWeighted);
        if (unknownCategories != null) s.put("unknown_categories", unknownCategories);
        s.put("wall_seconds", wallSeconds);
        s.put("training_seconds", trainingSeconds);
        s.put("training_loop_seconds", trainingLoopSeconds);
        s.put("parallel_share", parallelShare);
        s.put("examples", examples);
        s.put("examples_per_second", examplesPerSecond);
        s.put("provenance", provenance);
        return s;
    }

    /**
     * Reads {@code file}. Throws {@link com.fasterxml.jackson.core.JsonProcessingException} when it is not JSON,
     * {@link NotAnObject} when it is JSON but not an object, and other IOExceptions when it cannot be read; what is in
     * an object never makes it throw.
     */
    public static RunSummary read(Path file) throws IOException {
        JsonNode node = JSON.readTree(file.toFile());
        if (node == null || !node.isObject()) throw new NotAnObject(file + " is not a JSON object");
        return of(node);
    }

    /** A file holds JSON but not an object. */
    public static final class NotAnObject extends IOException {
        NotAnObject(String message) {
            super(message);
        }
    }

    /** The summary a summary.json object holds. */
    public static RunSummary of(JsonNode s) {
        return new RunSummary(
                text(s.get("experiment")),
                text(s.get("run")),
                Status.parse(text(s.get("status"))),
                text(s.get("stop_reason")),
                text(s.get("stopped_by")),
                integer(s.get("epochs")),
                integer(s.get("best_epoch")),
                integer(s.get("kept_epoch")),
                whole(s.get("seed")),
                Split.of(s.get("train")),
                Split.of(s.get("validation")),
                Split.of(s.get("test")),
                classWeights(s.get("class_weights")),
                s.path("metrics_weighted").isBoolean()
                        ? s.get("metrics_weighted").booleanValue()
                        : null,
                unknownCategories(s.get("unknown_categories")),
                number(s.get("wall_seconds")),
                number(s.get("training_seconds")),
                number(s.get("training_loop_seconds")),
                number(s.get("parallel_share")),
                whole(s.get("examples")),
                number(s.get("examples_per_second")),
                s.path("provenance").isObject()
                        ? (ObjectNode) s.get("provenance").deepCopy()
                        : null);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.doubleValue() : null;
    }

    private static Integer integer(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
    }

    private static Long whole(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
    }

    private static Map<String, Double> classWeights(JsonNode node) {
        if (node == null || !node.isObject()) return null;
        Map<String, Double> weights = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isNumber()) weights.put(f.getKey(), f.getValue().doubleValue());
        });
        return Collections.unmodifiableMap(weights);
    }

    private static Map<String, Map<String, Integer>> unknownCategories(JsonNode node) {
        if (node == null || !node.isObject()) return null;
        Map<String, Map<String, Integer>> splits = new LinkedHashMap<>();
        node.fields().forEachRemaining(split -> {
            if (!split.getValue().isObject()) return;
            Map<String, Integer> columns = new LinkedHashMap<>();
            split.getValue().fields().forEachRemaining(c -> {
                Integer cells = integer(c.getValue());
                if (cells != null) columns.put(c.getKey(), cells);
            });
            splits.put(split.getKey(), Collections.unmodifiableMap(columns));
        });
        return Collections.unmodifiableMap(splits);
    }
}
