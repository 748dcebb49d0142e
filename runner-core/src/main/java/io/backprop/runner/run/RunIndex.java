package io.backprop.runner.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The runs under a runs root, read back without taking any lock: each directory holding config.yaml, summary.json or
 * .lock ({@code <root>/<experiment>/<run>/}, a sweep's {@code <root>/<experiment>/sweep-<hash>/trial-NNNN/}), with
 * its status, its summary and its config.yaml as dotted keys. Links ({@code latest}) are not followed, so each run
 * is listed once; a summary that is missing or not JSON makes the status {@code unknown}, with a note saying why.
 */
public final class RunIndex {
    /** Deep enough for {@code <root>/<experiment>/sweep-<hash>/trial-NNNN}. */
    private static final int DEPTH = 4;

    private static final Pattern STAMPED = Pattern.compile("(\\d{8}-\\d{6})-[0-9a-f]+");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunIndex() {}

    /**
     * One run as its files say.
     *
     * @param experiment the summary's or config's name; else the directory's
     * @param run        the directory's name under its experiment's ({@code sweep-<hash>/trial-0003} for a trial)
     * @param status     the summary's status; {@code running} while a live process holds .lock; else {@code unknown}
     * @param note       why the status is unknown, or null
     * @param epochs     the summary's; while running or without a summary, the whole lines of metrics.jsonl
     * @param started    provenance's start; else the time in the directory's name; else config.yaml's mtime
     * @param summary    summary.json, or null when missing or corrupt
     * @param settings   config.yaml as dotted keys ({@code training.optimizer.learning_rate}), in file order
     */
    public record Entry(
            Path directory,
            String experiment,
            String run,
            String status,
            String note,
            Integer epochs,
            Instant started,
            JsonNode summary,
            Map<String, Object> settings) {
        /**
         * The value of a column ({@code experiment}, {@code run}, {@code status}, {@code epochs}, {@code started}), of a
         * dotted summary.json key ({@code test.accuracy}), or of a config.yaml key ({@code training.l2}); null when
         * this run has none. Numbers are Double or Long.
         */
        public Object value(String key) {
            switch (key) {
                case "experiment":
                    return experiment;
                case "run":
                    return run;
                case "status":
                    return status;
                case "epochs":
                    return epochs == null ? null : epochs.longValue();
                case "started":
                    return started == null ? null : started.toString();
                case "directory":
                    return directory.toString();
                default:
                    break;
            }
            JsonNode node = summary == null ? null : at(summary, key);
            if (node != null && node.isValueNode() && !node.isNull()) {
                return node.isIntegralNumber()
                        ? (Object) node.longValue()
                        : node.isNumber()
                                ? (Object) node.doubleValue()
                                : node.isBoolean() ? (Object) node.booleanValue() : node.asText();
            }
            return settings.get(key);
        }

        /** Every key {@link #value} knows for this run: summary.json's leaves (not inside lists), then config.yaml's. */
        public Set<String> keys() {
            Set<String> keys = new LinkedHashSet<>();
            if (summary != null) leaves(summary, "", keys);
            keys.addAll(settings.keySet());
            return keys;
        }
    }

    /**
     * The runs under {@code root} (a runs root, an experiment's directory or one run's), in no particular order.
     * Directories that cannot be read are passed over.
     */
    public static List<Entry> scan(Path root) throws IOException {
        List<Path> directories = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && dir.getFileName().toString().startsWith("."))
                    return FileVisitResult.SKIP_SUBTREE;
                if (isRun(dir)) {
                    directories.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        try {
            // Reading a run is a few small files; thousands of them go faster on every core.
            return directories.parallelStream().map(RunIndex::read).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean isRun(Path dir) {
        for (String file : List.of("config.yaml", "summary.json", RunLock.FILE)) {
            if (Files.isRegularFile(dir.resolve(file), LinkOption.NOFOLLOW_LINKS)) return true;
        }
        return false;
    }

    /** One run directory as its files say; never throws for what is in them. */
    public static Entry read(Path directory) {
        JsonNode summary = null;
        String note = null;
        Path summaryFile = directory.resolve("summary.json");
        if (Files.isRegularFile(summaryFile)) {
            try {
                summary = JSON.readTree(summaryFile.toFile());
                if (summary == null || !summary.isObject()) {
                    summary = null;
                    note = "summary.json is not a JSON object";
                }
            } catch (JsonProcessingException e) {
                note = "summary.json is not valid JSON";
            } catch (IOException e) {
                note = "cannot read summary.json: " + IoFailure.describe(e);
            }
        } else {
            note = "no summary.json";
        }
        Map<String, Object> settings = settings(directory.resolve("config.yaml"));
        boolean running = RunLock.writer(directory).isPresent();
        String status = running
                ? "running"
                : summary != null && summary.path("status").isTextual()
                        ? summary.get("status").asText()
                        : "unknown";
        if (running) note = null;
        else if (summary != null && note == null && !summary.path("status").isTextual())
            note = "summary.json has no status";
        else if (summary == null && note.equals("no summary.json"))
            note = "no summary.json: the run ended without one (killed?)";

        Integer epochs = !running && summary != null && summary.path("epochs").canConvertToInt()
                ? Integer.valueOf(summary.get("epochs").intValue())
                : wholeLines(directory.resolve("metrics.jsonl"));
        Path parent = directory.getParent();
        boolean trial = parent != null
                && parent.getFileName() != null
                && parent.getFileName().toString().startsWith("sweep-");
        String run =
                trial ? parent.getFileName() + "/" + directory.getFileName() : String.valueOf(directory.getFileName());
        Path experimentDirectory = trial ? parent.getParent() : parent;
        String experiment = summary != null && summary.path("experiment").isTextual()
                ? summary.get("experiment").asText()
                : settings.get("name") instanceof String name
                        ? name
                        : experimentDirectory != null && experimentDirectory.getFileName() != null
                                ? experimentDirectory.getFileName().toString()
                                : "";
        return new Entry(
                directory, experiment, run, status, note, epochs, started(directory, summary), summary, settings);
    }

    /** config.yaml as dotted keys; empty when it is missing or not YAML. */
    private static Map<String, Object> settings(Path config) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (!Files.isRegularFile(config)) return flat;
        try {
            var options = new LoaderOptions();
            Object root = new Yaml(new SafeConstructor(options)).load(Files.readString(config, StandardCharsets.UTF_8));
            flatten("", root, flat);
        } catch (IOException | RuntimeException e) {
            flat.clear(); // a config.yaml that is not YAML has no settings to compare
        }
        return flat;
    }

    private static void flatten(String prefix, Object value, Map<String, Object> flat) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty() && !prefix.isEmpty()) flat.put(prefix, "{}");
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, flat));
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) flat.put(prefix, "[]");
            for (int i = 0; i < list.size(); i++) flatten(prefix + "[" + i + "]", list.get(i), flat);
        } else if (!prefix.isEmpty()) {
            flat.put(
                    prefix,
                    value instanceof Integer || value instanceof Short || value instanceof Byte
                            ? ((Number) value).longValue()
                            : value instanceof Float f
                                    ? f.doubleValue()
                                    : value instanceof Number || value instanceof Boolean || value == null
                                            ? value
                                            : String.valueOf(value));
        }
    }

    /** The count of whole (newline-ended) lines, as a reader racing the writer sees them; null without the file. */
    private static Integer wholeLines(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int lines = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) if (buffer[i] == '\n') lines++;
            }
            return lines;
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant started(Path directory, JsonNode summary) {
        JsonNode recorded = summary == null ? null : summary.path("provenance").path("started");
        if (recorded != null && recorded.isTextual()) {
            try {
                return Instant.parse(recorded.asText());
            } catch (DateTimeParseException e) {
                // fall back to what the directory says
            }
        }
        var stamped = STAMPED.matcher(String.valueOf(directory.getFileName()));
        if (stamped.matches()) {
            try {
                return LocalDateTime.parse(stamped.group(1), STAMP)
                        .atZone(ZoneId.systemDefault())
                        .toInstant();
            } catch (DateTimeParseException e) {
                // a name that only looks stamped
            }
        }
        for (String file : List.of("config.yaml", "summary.json")) {
            try {
                return Files.getLastModifiedTime(directory.resolve(file)).toInstant();
            } catch (IOException e) {
                // try the next
            }
        }
        return null;
    }

    /** The node at a dotted path of object keys; null when there is none. */
    static JsonNode at(JsonNode root, String dotted) {
        JsonNode node = root;
        for (String part : dotted.split("\\.", -1)) {
            if (node == null || !node.isObject()) return null;
            node = node.get(part);
        }
        return node;
    }

    private static void leaves(JsonNode node, String prefix, Set<String> keys) {
        node.fields().forEachRemaining(f -> {
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (f.getValue().isObject()) leaves(f.getValue(), key, keys);
            else if (!f.getValue().isArray()) keys.add(key);
        });
    }

    /**
     * Orders by experiment, then start (the oldest first), then run; a sweep's trials stay together, in the order of
     * their index, at the start of the sweep's first trial (they start together, on several workers).
     */
    public static Comparator<Entry> defaultOrder(List<Entry> entries) {
        Map<Path, Instant> sweepStarts = new java.util.HashMap<>();
        for (Entry e : entries) {
            if (e.started() != null && isTrial(e))
                sweepStarts.merge(e.directory().getParent(), e.started(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Comparator<Entry> order = Comparator.comparing(Entry::experiment);
        return order.thenComparing(
                        (Entry e) -> isTrial(e) ? sweepStarts.get(e.directory().getParent()) : e.started(),
                        Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(e -> isTrial(e)
                        ? e.directory().getParent().toString()
                        : e.directory().toString())
                .thenComparing(Entry::run);
    }

    private static boolean isTrial(Entry e) {
        return e.run().contains("/");
    }
}
