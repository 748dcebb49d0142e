package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.Preprocessor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
    @TempDir
    Path dir;

    private static Dataset load(String name, Map<String, ?> values, Path directory, long seed) {
        var p = StandardPlugins.registry().providers(PluginKind.DATA_SOURCE).stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow();
        return p.create(Params.of(p, values)).load(new DataContext(directory, seed));
    }

    private Dataset csv(String text, Map<String, ?> values) throws IOException {
        Files.writeString(dir.resolve("d.csv"), text);
        var all = new java.util.HashMap<String, Object>(values);
        all.put("path", "d.csv");
        return load("csv", all, dir, 0);
    }

    private String csvProblem(String text, Map<String, ?> values) {
        return assertThrows(PluginException.class, () -> csv(text, values)).getMessage();
    }

    @Test
    void truthTables() {
        assertArrayEquals(
                new double[] {0, 0, 0, 1}, load("and", Map.of(), dir, 0).y());
        assertArrayEquals(
                new double[] {0, 1, 1, 1}, load("or", Map.of(), dir, 0).y());
        assertArrayEquals(
                new double[] {0, 1, 1, 0}, load("xor", Map.of(), dir, 0).y());
    }

    @Test
    void generatedDataFollowsItsSettingsAndItsSeed() {
        Dataset spirals = load("spirals", Map.of("samples", 50L, "classes", 4L), dir, 1);
        assertEquals(200, spirals.rows());
        assertEquals(4, spirals.outputs());
        assertFalse(java.util.Arrays.equals(
                spirals.x(),
                load("spirals", Map.of("samples", 50L, "classes", 4L), dir, 2).x()));
        Dataset moons = load("moons", Map.of("samples", 101L), dir, 1);
        assertEquals(101, moons.rows());
        Dataset circles = load("circles", Map.of("noise", 0.0, "factor", 0.3), dir, 1);
        for (int r = 0; r < circles.rows(); r++) {
            double radius = Math.hypot(circles.x()[2 * r], circles.x()[2 * r + 1]);
            assertEquals(circles.label(r) == 0 ? 1.0 : 0.3, radius, 1e-12);
        }
        Dataset blobs = load("blobs", Map.of("samples", 90L, "classes", 3L, "features", 5L), dir, 1);
        assertEquals(5, blobs.inputs());
        assertEquals(
                30,
                java.util.stream.IntStream.range(0, 90)
                        .filter(r -> blobs.label(r) == 2)
                        .count());
        Dataset sine = load("sine", Map.of("samples", 10L), dir, 1);
        assertEquals(Dataset.Task.REGRESSION, sine.task());
        for (int r = 0; r < 10; r++) assertEquals(Math.sin(sine.x()[r]), sine.y()[r], 0.0);
    }

    @Test
    void csvClassesAreSortedAndOneHot() throws IOException {
        Dataset d = csv("a,b,kind\n1,2,setosa\n3,4,versicolor\n5,6,\"setosa\"\n\n7,8,virginica\n", Map.of());
        assertEquals(4, d.rows());
        assertEquals(java.util.List.of("setosa", "versicolor", "virginica"), d.classes());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, d.x());
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1}, d.y());
        Dataset numeric = csv("x,label\n1,10\n2,9\n3,10\n", Map.of());
        assertEquals(java.util.List.of("9", "10"), numeric.classes(), "numeric labels sort as numbers");
    }

    @Test
    void csvNamesItsColumnsAndEncodesLabelsOverClassesKnownBeforehand() throws IOException {
        Files.writeString(dir.resolve("held-out.csv"), "kind,a,b\nversicolor,1,2\nversicolor,3,4\n");
        var p = StandardPlugins.registry().providers(PluginKind.DATA_SOURCE).stream()
                .filter(d -> d.name().equals("csv"))
                .findFirst()
                .orElseThrow();
        var source = p.create(Params.of(p, Map.of("path", "held-out.csv", "label", "kind")));
        var known = java.util.List.of("setosa", "versicolor", "virginica");
        Dataset d = source.load(new DataContext(dir, 0, known));
        assertEquals(known, d.classes(), "one class of three is fine when the classes are known");
        assertArrayEquals(new double[] {0, 1, 0, 0, 1, 0}, d.y());
        assertEquals(java.util.List.of("a", "b"), d.inputNames());
        assertEquals("kind", d.labelName());
        Files.writeString(dir.resolve("held-out.csv"), "kind,a,b\nversicolor,1,2\nrose,3,4\n");
        assertEquals(
                "held-out.csv:3:1: label 'rose' is not one of the trained classes (setosa, versicolor, virginica)",
                assertThrows(PluginException.class, () -> source.load(new DataContext(dir, 0, known)))
                        .getMessage());
    }

    @Test
    void csvLabelByNameRegressionAndSeparator() throws IOException {
        Dataset d = csv("y;x1;x2\n0.5;1;2\n1.5;3;4\n", Map.of("label", "y", "task", "regression", "separator", ";"));
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.x());
        assertArrayEquals(new double[] {0.5, 1.5}, d.y());
    }

    @Test
    void csvProblemsNameFileRowAndColumn() {
        assertEquals("d.csv:3: the row has 2 cells; the header has 3", csvProblem("a,b,c\n1,2,x\n1,2\n", Map.of()));
        assertEquals(
                "d.csv:3:3: 'abc' in column b is not a number; expected a decimal number such as 3, -2.5 or 1e-3",
                csvProblem("a,b,c\n1,2,x\n1,abc,y\n", Map.of("columns", Map.of("b", "numeric"))));
        assertEquals(
                "d.csv:2:1: '' in column a is not a number (the cell is empty); expected a decimal number such as 3, -2.5 or 1e-3",
                csvProblem(
                        "a,b,c\n,2,x\n1,2,y\n",
                        Map.of("columns", Map.of("a", "numeric"), "missing", java.util.List.of("NA"))));
        assertEquals("d.csv:3: the row has 1 cell; the header has 3", csvProblem("a,b,c\n1,2,x\n1\n", Map.of()));
        assertEquals(
                "d.csv has no column named 'kind' (columns: a, b, c)",
                csvProblem("a,b,c\n1,2,x\n", Map.of("label", "kind")));
        assertEquals("d.csv is empty; it needs a header row and examples", csvProblem("\n\n", Map.of()));
        assertEquals("d.csv has a header but no examples", csvProblem("a,b\n", Map.of()));
        assertEquals(
                "d.csv: the label column c holds one class only; classification needs two or more",
                csvProblem("a,b,c\n1,2,x\n", Map.of()));
        var missing = assertThrows(PluginException.class, () -> load("csv", Map.of("path", "none.csv"), dir, 0))
                .getMessage();
        assertEquals(
                "no such file: none.csv (looked for " + dir.resolve("none.csv").toAbsolutePath() + ")", missing);
    }

    private static byte[] idx(int magic, int[] shape, byte[] data) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : shape) out.writeInt(d);
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void idxReadsPlainAndGzippedFiles() throws IOException {
        byte[] pixels = {0, (byte) 255, 51, 102, 0, 0, 0, 0, (byte) 255, 0, 0, 0};
        Files.write(dir.resolve("images"), idx(0x0803, new int[] {3, 2, 2}, pixels));
        var gz = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(gz)) {
            out.write(idx(0x0801, new int[] {3}, new byte[] {7, 0, 3}));
        }
        Files.write(dir.resolve("labels.gz"), gz.toByteArray());
        Dataset d = load("idx", Map.of("images", "images", "labels", "labels.gz"), dir, 0);
        assertEquals(3, d.rows());
        assertEquals(4, d.inputs());
        assertEquals(8, d.outputs());
        assertArrayEquals(new double[] {0, 1, 0.2, 0.4}, java.util.Arrays.copyOf(d.x(), 4), 1e-15);
        assertEquals(7, d.label(0));
        assertEquals(3, d.label(2));
        assertEquals(
                2,
                load("idx", Map.of("images", "images", "labels", "labels.gz", "limit", 2L), dir, 0)
                        .rows());
        var wrong = assertThrows(
                PluginException.class, () -> load("idx", Map.of("images", "labels.gz", "labels", "labels.gz"), dir, 0));
        assertEquals(
                "labels.gz is not an IDX file of images (magic number 0x00000801, expected 0x00000803)",
                wrong.getMessage());
        Files.write(dir.resolve("short"), idx(0x0803, new int[] {9, 2, 2}, pixels));
        var truncated = assertThrows(
                PluginException.class, () -> load("idx", Map.of("images", "short", "labels", "labels.gz"), dir, 0));
        assertEquals("short holds 9 images but labels.gz holds 3 labels", truncated.getMessage());
    }

    private static Preprocessor preprocessor(String name) {
        var p = StandardPlugins.registry().providers(PluginKind.PREPROCESSOR).stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow();
        return p.create(Params.defaults(p));
    }

    @Test
    void preprocessorsFitOnOneSetApplyToAnotherAndSurviveASave() {
        double[] train = {1, 10, 3, 10, 5, 10};
        Preprocessor standardize = preprocessor("standardize");
        standardize.fit(train, 3, 2);
        double[] other = {3, 12};
        standardize.apply(other, 1, 2);
        assertArrayEquals(new double[] {0, 2}, other, 1e-15, "a constant training column is only shifted");
        double[] copy = train.clone();
        standardize.apply(copy, 3, 2);
        assertEquals(0, copy[0] + copy[2] + copy[4], 1e-12);
        assertEquals(3, copy[0] * copy[0] + copy[2] * copy[2] + copy[4] * copy[4], 1e-12);
        Preprocessor restored = preprocessor("standardize");
        restored.restore(standardize.state());
        double[] again = {3, 12};
        restored.apply(again, 1, 2);
        assertArrayEquals(other, again);

        Preprocessor minMax = preprocessor("min-max");
        minMax.fit(train, 3, 2);
        double[] scaled = {1, 10, 5, 11, 7, 10};
        minMax.apply(scaled, 3, 2);
        assertArrayEquals(new double[] {0, 0, 1, 1, 1.5, 0}, scaled, 1e-15);
        assertTrue(minMax.state().containsKey("min") && minMax.state().containsKey("range"));
    }
}
