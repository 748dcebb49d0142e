package io.backprop.runner.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The trials of an experiment file's {@code sweep:} block. Trial i is a pure function of the file and i: point
 * {@code i / repeats} (a grid combination, or a random draw seeded by the point), repeat {@code i % repeats} (the
 * experiment's seed plus the repeat). Each trial is the experiment with its values set as {@code --set} would.
 *
 * <pre>
 * sweep:
 *   grid: {training.l2: [0, 1e-4, 1e-3], training.batch_size: [8, 32]}     # or
 *   random: {trials: 10, params: {training.optimizer.learning_rate: {log_uniform: [1e-4, 0.1]}}}
 *   repeats: 3
 *   objective: {minimize: validation.loss}
 * </pre>
 */
public final class SweepPlan {
    /** One trial: its swept values by path (as YAML text), and the seed it runs with. */
    public record Trial(int index, int point, int repeat, long seed, Map<String, String> values) {
        /** The trial as overrides of the experiment. */
        public List<String> overrides() {
            List<String> all = new ArrayList<>();
            values.forEach((path, value) -> all.add(path + "=" + value));
            all.add("seed=" + seed);
            return all;
        }

        /** {@code training.l2=0.001, seed 43}. */
        public String label() {
            var s = new StringBuilder();
            values.forEach((k, v) -> s.append(k).append('=').append(v).append(", "));
            return s.append("seed ").append(seed).toString();
        }
    }

    /** Whether the objective is best low or high, and where it stands in summary.json ("validation.loss"). */
    public record Objective(boolean minimize, String metric) {}

    private final String id;
    private final String name;
    private final List<String> parameters;
    private final List<Map<String, String>> points;
    private final int repeats;
    private final long seed;
    private final Objective objective;
    private final List<Experiment> checked = new ArrayList<>();

    private SweepPlan(
            String id,
            String name,
            List<String> parameters,
            List<Map<String, String>> points,
            int repeats,
            long seed,
            Objective objective) {
        this.id = id;
        this.name = name;
        this.parameters = parameters;
        this.points = points;
        this.repeats = repeats;
        this.seed = seed;
        this.objective = objective;
    }

    /** A swept value as it reaches a trial, with the places it was written: the path's key, the value. */
    private record Setting(String value, Node key, Node written) {}

    /** Whether {@code file}, with what it extends, has a {@code sweep:} block. */
    public static boolean hasSweep(Path file, String source) {
        var composition = Composition.ofFiles(List.of(file), List.of(source));
        return composition.root instanceof MappingNode root && sweepOf(root) != null;
    }

    private static Node sweepOf(MappingNode root) {
        Node sweep = value(root, "sweep");
        return sweep instanceof ScalarNode s && s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL) ? null : sweep;
    }

    /**
     * Reads the sweep of {@code file} (which may extend others) and checks that every trial is a valid experiment;
     * a swept path or value that is wrong is reported where the sweep block has it.
     */
    public static SweepPlan read(Path file, String source) throws IOException {
        Experiment base = ExperimentReader.read(file, source);
        var composition = Composition.ofFiles(List.of(file), List.of(source));
        Node sweep = sweepOf((MappingNode) composition.root);
        if (sweep == null) {
            throw new SpecException(Where.of(source)
                    .problem("has no sweep: block; add one such as sweep: {grid: {training.l2: [0, 1e-4]}}"));
        }
        var reader = new Block(composition);
        var m = reader.mapping(sweep, "sweep", List.of("grid", "random", "repeats", "objective"));
        Node grid = m.get("grid");
        Node random = m.get("random");
        if (grid != null && random != null) reader.fail(sweep, "sweep", "use grid or random, not both");
        int repeats = m.containsKey("repeats") ? reader.integer(m.get("repeats"), "sweep.repeats", 1, 1000) : 1;
        List<String> parameters = new ArrayList<>();
        List<Map<String, Setting>> settings = new ArrayList<>();
        if (grid != null) reader.grid(grid, parameters, settings);
        else if (random != null) reader.random(random, parameters, settings, base.seed());
        else settings.add(Map.of());
        List<Map<String, String>> points = new ArrayList<>();
        for (var point : settings) {
            Map<String, String> values = new LinkedHashMap<>();
            point.forEach((path, setting) -> values.put(path, setting.value()));
            points.add(values);
        }
        Objective objective = m.containsKey("objective")
                ? reader.objective(m.get("objective"))
                : new Objective(true, "validation.loss");
        String hashed = composition.texts.size() == 1 ? composition.texts.get(0) : String.join("\0", composition.texts);
        var plan = new SweepPlan(
                id(hashed), base.name(), List.copyOf(parameters), points, repeats, base.seed(), objective);
        var problems = new Problems();
        var reported = new java.util.HashSet<String>();
        List<Experiment> checked = plan.checked;
        for (int p = 0; p < points.size(); p++) {
            var point = settings.get(p);
            var found = new Problems();
            try {
                checked.add(ExperimentReader.finish(
                        Composition.ofFiles(List.of(file), List.of(source)),
                        source,
                        RunName.fromFile(file),
                        file.toAbsolutePath().getParent(),
                        List.of("seed=" + plan.trial(p * repeats).seed()),
                        Schema.PluginParameters.NONE,
                        System::getenv,
                        trial -> point.forEach((path, setting) -> {
                            trial.origins.put(setting.key(), composition.origins.get(setting.key()));
                            trial.origins.put(setting.written(), composition.origins.get(setting.written()));
                            try {
                                Node value = trial.placed(
                                        Overrides.value(setting.value(), "sweep", path), setting.written());
                                trial.overrides.set(
                                        trial.root,
                                        "",
                                        path,
                                        value,
                                        setting.key(),
                                        composition.where(setting.key(), ""));
                            } catch (SpecException e) {
                                found.addAll(e);
                            }
                        })));
            } catch (SpecException e) {
                found.addAll(e);
            }
            // A mistake in a swept path shows in every point: say it once.
            found.list().stream()
                    .filter(problem -> reported.add(problem.format()))
                    .forEach(problem -> problems.add(problem.where(), problem.message()));
        }
        problems.throwIfAny();
        return plan;
    }

    private static Node value(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t.getValueNode();
        }
        return null;
    }

    /** The first 8 hex digits of the file's SHA-256: the same file, the same sweep directory. */
    private static String id(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The experiment of each point (its first repeat's seed), as read to check it: a value in it that is wrong for
     * its plugin is reported at the sweep block's line.
     */
    public List<Experiment> pointExperiments() {
        return List.copyOf(checked);
    }

    public Trial trial(int index) {
        if (index < 0 || index >= size()) throw new IllegalArgumentException("trial " + index + " of " + size());
        int point = index / repeats;
        int repeat = index % repeats;
        return new Trial(index, point, repeat, seed + repeat, points.get(point));
    }

    public int size() {
        return points.size() * repeats;
    }

    /** "sweep-" and the file's hash: the directory under runs/EXPERIMENT/ that holds the trials. */
    public String directoryName() {
        return "sweep-" + id;
    }

    public String experiment() {
        return name;
    }

    public List<String> parameters() {
        return parameters;
    }

    public int repeats() {
        return repeats;
    }

    public Objective objective() {
        return objective;
    }

    /** Reads the sweep block, each problem at its place. */
    private static final class Block {
        private final Composition composition;

        Block(Composition composition) {
            this.composition = composition;
        }

        SpecException fail(Node node, String path, String message) {
            throw new SpecException(composition.where(node, path).problem(message));
        }

        Map<String, Node> mapping(Node node, String path, List<String> known) {
            if (!(node instanceof MappingNode map)) throw fail(node, path, "expected a mapping");
            Map<String, Node> m = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                if (known != null && !known.contains(key))
                    throw fail(t.getKeyNode(), path + "." + key, Suggestions.unknown("key", key, known, "known"));
                m.put(key, t.getValueNode());
            }
            return m;
        }

        int integer(Node node, String path, int min, int max) {
            try {
                long v = node instanceof ScalarNode s ? Long.parseLong(s.getValue()) : Long.MIN_VALUE;
                if (v >= min && v <= max) return (int) v;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw fail(node, path, "expected an integer from " + min + " to " + max);
        }

        double number(Node node, String path) {
            try {
                if (node instanceof ScalarNode s) return Double.parseDouble(s.getValue());
            } catch (NumberFormatException e) {
                // reported below
            }
            throw fail(node, path, "expected a number");
        }

        /** The value as written, so that it reaches the experiment exactly as the file has it. */
        String text(Node node) {
            return composition.textOf(node);
        }

        void grid(Node node, List<String> parameters, List<Map<String, Setting>> points) {
            List<List<Setting>> values = new ArrayList<>();
            var keys = keys(node);
            for (var e : mapping(node, "sweep.grid", null).entrySet()) {
                if (!(e.getValue() instanceof SequenceNode seq)
                        || seq.getValue().isEmpty()) {
                    throw fail(e.getValue(), "sweep.grid." + e.getKey(), "expected a list of the values to try");
                }
                parameters.add(e.getKey());
                values.add(seq.getValue().stream()
                        .map(v -> new Setting(text(v), keys.get(e.getKey()), v))
                        .toList());
            }
            points.add(new LinkedHashMap<>());
            for (int p = 0; p < parameters.size(); p++) {
                List<Map<String, Setting>> next = new ArrayList<>();
                for (Map<String, Setting> point : points) {
                    for (Setting v : values.get(p)) {
                        var extended = new LinkedHashMap<>(point);
                        extended.put(parameters.get(p), v);
                        next.add(extended);
                    }
                }
                points.clear();
                points.addAll(next);
            }
        }

        private static Map<String, Node> keys(Node node) {
            Map<String, Node> keys = new LinkedHashMap<>();
            if (node instanceof MappingNode map)
                map.getValue().forEach(t -> keys.put(((ScalarNode) t.getKeyNode()).getValue(), t.getKeyNode()));
            return keys;
        }

        void random(Node node, List<String> parameters, List<Map<String, Setting>> points, long seed) {
            var m = mapping(node, "sweep.random", List.of("trials", "params"));
            if (!m.containsKey("trials") || !m.containsKey("params"))
                throw fail(node, "sweep.random", "needs trials and params");
            int trials = integer(m.get("trials"), "sweep.random.trials", 1, 100_000);
            var params = mapping(m.get("params"), "sweep.random.params", null);
            var keys = keys(m.get("params"));
            parameters.addAll(params.keySet());
            for (int p = 0; p < trials; p++) {
                // Each point draws from a stream of its own, so point p is the same whatever the number of trials.
                var random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p);
                Map<String, Setting> point = new LinkedHashMap<>();
                for (var e : params.entrySet()) {
                    String drawn = draw(e.getValue(), "sweep.random.params." + e.getKey(), random);
                    point.put(e.getKey(), new Setting(drawn, keys.get(e.getKey()), e.getValue()));
                }
                points.add(point);
            }
        }

        private String draw(Node node, String path, SplittableRandom random) {
            var m = mapping(node, path, List.of("choice", "uniform", "log_uniform", "int"));
            if (m.size() != 1)
                throw fail(
                        node,
                        path,
                        "expected one of {choice: [..]}, {uniform: [lo, hi]}, {log_uniform: [lo, hi]}, {int: [lo, hi]}");
            var e = m.entrySet().iterator().next();
            if (!(e.getValue() instanceof SequenceNode seq) || seq.getValue().isEmpty())
                throw fail(e.getValue(), path + "." + e.getKey(), "expected a list");
            List<Node> items = seq.getValue();
            if (e.getKey().equals("choice")) return text(items.get(random.nextInt(items.size())));
            if (items.size() != 2) throw fail(seq, path + "." + e.getKey(), "expected [low, high]");
            double lo = number(items.get(0), path + "." + e.getKey() + "[0]");
            double hi = number(items.get(1), path + "." + e.getKey() + "[1]");
            if (!(lo < hi) || e.getKey().equals("log_uniform") && lo <= 0) {
                throw fail(
                        seq,
                        path + "." + e.getKey(),
                        "expected low < high" + (e.getKey().equals("log_uniform") ? ", both above 0" : ""));
            }
            return switch (e.getKey()) {
                case "uniform" -> Double.toString(lo + (hi - lo) * random.nextDouble());
                case "log_uniform" ->
                    Double.toString(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * random.nextDouble()));
                default -> Long.toString((long) lo + random.nextLong((long) hi - (long) lo + 1));
            };
        }

        Objective objective(Node node) {
            var m = mapping(node, "sweep.objective", List.of("minimize", "maximize"));
            if (m.size() != 1)
                throw fail(
                        node,
                        "sweep.objective",
                        "expected {minimize: validation.loss} or {maximize: validation.accuracy}");
            var e = m.entrySet().iterator().next();
            String metric = ((ScalarNode) e.getValue()).getValue();
            if (!metric.matches("(train|validation|test)\\.(loss|accuracy|rmse)|epochs|training_seconds")) {
                throw fail(
                        e.getValue(),
                        "sweep.objective." + e.getKey(),
                        "expected a summary metric such as validation.loss, test.accuracy,"
                                + " epochs or training_seconds, got '" + metric + "'");
            }
            return new Objective(e.getKey().equals("minimize"), metric.toLowerCase(Locale.ROOT));
        }
    }
}
