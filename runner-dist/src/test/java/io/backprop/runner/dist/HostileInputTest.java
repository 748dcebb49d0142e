package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed experiments, a CSV and overrides, mutated at random from fixed seeds (so a run is repeatable and a
 * finding stays found; each case is a test named by its index): whatever the input, the runner ends with exit 0, 2 or
 * 3 and explains itself in lines of its own, never an internal error or a stack trace.
 */
class HostileInputTest {
    /** Small enough to train a couple of epochs of in a moment. */
    private static final List<String> EXPERIMENTS = List.of(
            "xor.yaml",
            "iris.yaml",
            "sine.yaml",
            "and-or.yaml",
            "early-stopping.yaml",
            "l2-study.yaml",
            "spirals.yaml");
    /** Values a careless or hostile hand puts where a scalar was. */
    private static final List<String> VALUES = List.of(
            "-1",
            "0",
            "-0",
            "1e309",
            "-1e309",
            "1e-400",
            ".nan",
            "NaN",
            ".inf",
            "''",
            "\"0.1\"",
            "[]",
            "{}",
            "null",
            "~",
            "99999999999999999999",
            "2147483648",
            "-2147483649",
            "true",
            "0x10",
            "1_000",
            "\"../../../etc/passwd\"",
            "/",
            "\"a\\nb\"",
            "'$(touch pwned)'",
            "<b>x</b>",
            "${x}",
            "&a x",
            "*a",
            "!!binary aGk=",
            "!!java.io.File /tmp",
            "{name: }",
            "[1, [2, [3]]]",
            "\"\u00e9\u4e2d\ud83d\ude00\"",
            "x".repeat(5000),
            "{split: 2}",
            "{split: -0.5}",
            "[xor]",
            "{name: csv}",
            "{name: csv, path: nothere.csv}");
    /** Lines that break the structure. */
    private static final List<String> LINES = List.of(
            "",
            "-",
            ":",
            "  - {units: 0}",
            "training: {}",
            "model: null",
            "\t",
            "<<: *a",
            "---",
            "...",
            "%YAML 1.1",
            "? [a]",
            "sweep: {grid: {training.l2: []}}",
            "sweep: {grid: {model.layers[9].units: [1]}}",
            "name: ../escape",
            "name: \"a b\"",
            "plugins: [/]");

    private static Path dir;
    private static int counter;

    @BeforeAll
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("hostile");
        Files.createSymbolicLink(
                dir.resolve("data"), ExperimentsTest.EXPERIMENTS.resolve("data").toAbsolutePath());
    }

    @AfterAll
    static void removeDirectory() throws IOException {
        Files.delete(dir.resolve("data"));
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** One edit of a text: where, what kind, and with what. */
    record Edit(int kind, double at, String text) {
        String apply(String s) {
            List<String> lines = new ArrayList<>(s.lines().toList());
            int line = Math.min(lines.size() - 1, (int) (at * lines.size()));
            String l = lines.get(line);
            switch (kind) {
                case 0 -> lines.remove(line); // drop a line
                case 1 -> lines.add(line, l); // duplicate it
                case 2 -> lines.add(line, text); // insert a line of ours
                case 3 -> { // a value replaced
                    int colon = l.lastIndexOf(": ");
                    if (colon >= 0) lines.set(line, l.substring(0, colon + 2) + text);
                }
                case 4 -> { // a character dropped
                    if (!l.isEmpty()) {
                        int c = (int) (at * 7919) % l.length();
                        lines.set(line, l.substring(0, c) + l.substring(c + 1));
                    }
                }
                case 5 -> lines.set(line, "  " + l); // indentation shifted
                default -> { // a list item's value replaced
                    int open = l.indexOf('{');
                    int comma = l.indexOf(',', Math.max(open, 0));
                    if (open >= 0 && comma > open)
                        lines.set(line, l.substring(0, l.indexOf(':', open) + 2) + text + l.substring(comma));
                }
            }
            return String.join("\n", lines) + "\n";
        }
    }

    /** {@code count} cases from {@code seed}, each drawn from a random stream of its own. */
    private static <T> Stream<DynamicTest> cases(
            String name,
            long seed,
            int count,
            Function<SplittableRandom, T> draw,
            java.util.function.Consumer<T> check) {
        var root = new SplittableRandom(seed);
        return IntStream.range(0, count).mapToObj(i -> {
            T input = draw.apply(root.split());
            return DynamicTest.dynamicTest(name + " " + i, () -> check.accept(input));
        });
    }

    private static <T> T any(List<T> list, SplittableRandom random) {
        return list.get(random.nextInt(list.size()));
    }

    record Mutation<E>(String file, List<E> edits) {}

    @TestFactory
    Stream<DynamicTest> mutatedExperimentsEndInAUserErrorOrARun() {
        return cases(
                "experiment",
                20261201,
                150,
                random -> new Mutation<>(
                        any(EXPERIMENTS, random),
                        IntStream.range(0, 1 + random.nextInt(3))
                                .mapToObj(i -> new Edit(
                                        random.nextInt(7),
                                        random.nextDouble(),
                                        random.nextBoolean() ? any(VALUES, random) : any(LINES, random)))
                                .toList()),
                this::checkExperiment);
    }

    private void checkExperiment(Mutation<Edit> m) {
        try {
            String text = Files.readString(ExperimentsTest.EXPERIMENTS.resolve(m.file()));
            for (Edit e : m.edits()) text = e.apply(text);
            Path file = dir.resolve("m" + (counter++) + "-" + m.file());
            Files.writeString(file, text);
            String what = "after " + m.edits() + " of " + m.file() + ":\n" + text;
            Cli validate = Cli.run("validate", file.toString());
            assertClean(validate, what);
            if (validate.exitCode() == 0 && !text.contains("sweep:")) {
                assertClean(
                        Cli.run(
                                "run",
                                file.toString(),
                                "--set",
                                "training.max_epochs=2",
                                "--out",
                                dir.resolve("runs").toString(),
                                "--quiet"),
                        what);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Stands for bytes that are not UTF-8 (0xC3 0x28), put in place of it when the file is written. */
    private static final String INVALID_UTF8 = "\u0000not-utf-8\u0000";
    /** Cells and bytes that a spreadsheet export, an editor or a hostile hand leaves in a CSV. */
    private static final List<String> CELLS = List.of(
            "",
            " ",
            "NA",
            "NaN",
            "nan",
            "inf",
            "-Infinity",
            "1e309",
            "0x1p3",
            "1d",
            "1f",
            "1,5",
            "\"1\"",
            "\"a,b\"",
            "\"",
            "\"\"\"",
            "\r",
            "\u00ef\u00bb\u00bf",
            "\u00e9",
            "-",
            "+",
            "1e",
            ".",
            "label",
            "sepal_length_cm",
            "9999999999999999999999",
            "\t1",
            "1 ",
            "x".repeat(3000),
            INVALID_UTF8);

    record CsvEdit(int kind, double at, String text) {
        String apply(String s) {
            List<String> lines = new ArrayList<>(s.lines().toList());
            int line = Math.min(lines.size() - 1, (int) (at * lines.size()));
            String l = lines.get(line);
            String[] cells = l.split(",", -1);
            int cell = (int) (at * 104729) % cells.length;
            switch (kind) {
                case 0 -> {
                    cells[cell] = text;
                    lines.set(line, String.join(",", cells));
                }
                case 1 -> lines.set(line, l + "," + text); // a cell too many
                case 2 -> lines.set(line, l.substring(0, l.lastIndexOf(','))); // a cell too few
                case 3 -> lines.remove(line);
                case 4 -> lines.set(line, l + "\r"); // a CRLF line end
                default -> lines.add(line, text);
            }
            return String.join("\n", lines) + (kind == 5 && at < 0.1 ? "" : "\n");
        }
    }

    @TestFactory
    Stream<DynamicTest> mutatedCsvFilesEndInAUserErrorOrARun() {
        return cases(
                "csv",
                20261202,
                100,
                random -> IntStream.range(0, 1 + random.nextInt(3))
                        .mapToObj(i -> new CsvEdit(random.nextInt(6), random.nextDouble(), any(CELLS, random)))
                        .toList(),
                this::checkCsv);
    }

    private void checkCsv(List<CsvEdit> edits) {
        try {
            String csv = Files.readString(ExperimentsTest.EXPERIMENTS.resolve("data/iris/iris.csv"));
            for (CsvEdit e : edits) csv = e.apply(csv);
            int n = counter++;
            Path data = dir.resolve("c" + n + ".csv");
            Files.write(data, withInvalidBytes(csv.getBytes(StandardCharsets.UTF_8)));
            String yaml = Files.readString(ExperimentsTest.EXPERIMENTS.resolve("iris.yaml"))
                    .replace("data/iris/iris.csv", data.getFileName().toString());
            Path file = dir.resolve("c" + n + ".yaml");
            Files.writeString(file, yaml);
            String what = "after " + edits + ":\n" + csv.lines().limit(3).toList();
            assertClean(
                    Cli.run(
                            "run",
                            file.toString(),
                            "--set",
                            "training.max_epochs=2",
                            "--out",
                            dir.resolve("runs").toString(),
                            "--quiet"),
                    what);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] withInvalidBytes(byte[] utf8) {
        byte[] marker = INVALID_UTF8.getBytes(StandardCharsets.UTF_8);
        var out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < utf8.length; i++) {
            if (i + marker.length <= utf8.length
                    && java.util.Arrays.equals(utf8, i, i + marker.length, marker, 0, marker.length)) {
                out.write(0xC3);
                out.write(0x28);
                i += marker.length - 1;
            } else {
                out.write(utf8[i]);
            }
        }
        return out.toByteArray();
    }

    @org.junit.jupiter.api.Test
    void anIndexBeyondAnyListIsAUserError() {
        Cli cli = Cli.run(
                "validate",
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString(),
                "--set",
                "model.layers[99999999999999999999].units=3");
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(
                List.of(
                        "--set model.layers[99999999999999999999].units=3: model.layers[99999999999999999999].units: item"
                                + " [99999999999999999999] is beyond any list's length"),
                cli.errLines());
    }

    private static final List<String> OVERRIDE_PATHS = List.of(
            "model.layers[99999999999999999999].units",
            "model.layers[-1].units",
            "model.layers[2147483647].units",
            "model.layers[1][0]",
            "training..l2",
            ".",
            "",
            "training.l2.x",
            "[0]",
            "model.layers[0]",
            "data",
            "seed",
            "training.stopping[5]",
            "model.layers[a]",
            "model.layers[",
            "x.y.z");

    @TestFactory
    Stream<DynamicTest> hostileOverridesAreUserErrors() {
        return cases(
                "override",
                20261203,
                60,
                random -> any(OVERRIDE_PATHS, random) + "=" + any(VALUES, random),
                override -> assertClean(
                        Cli.run(
                                "validate",
                                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString(),
                                "--set",
                                override),
                        "--set " + override));
    }

    /** Exit 0, 2 or 3; anything printed on failure is the runner's own lines, not a trace. */
    static void assertClean(Cli cli, String what) {
        int code = cli.exitCode();
        assertTrue(code == 0 || code == 2 || code == 3, "exit " + code + " " + what + "\n" + cli.err());
        for (String line : cli.errLines()) {
            assertFalse(
                    line.startsWith("\tat ") || line.contains("Exception in") || line.startsWith("Caused by"),
                    "a stack trace " + what + "\n" + cli.err());
        }
        if (code == 2) assertFalse(cli.errLines().isEmpty(), "exit 2 says why " + what);
        assertEquals(-1, cli.err().indexOf("java.lang."), "no Java type names in messages " + what + "\n" + cli.err());
    }
}
