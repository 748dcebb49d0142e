package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in specs/invalid opens with the exact lines the runner must print, as {@code # expect: ...} comments
 * (without the file name, which the test puts in front). Every one must end with exit code 2, those lines and
 * nothing else on stderr, and no run directory.
 */
class InvalidSpecsTest {
    private static final Path CORPUS = Path.of("src/test/resources/specs/invalid");

    static Stream<Named<Path>> corpus() throws IOException {
        try (var files = Files.list(CORPUS)) {
            var list =
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(list.size() >= 20, "corpus too small: " + list.size());
            return list.stream().map(f -> Named.of(f.getFileName().toString(), f));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badInputEndsWithExitCode2AndOneClearLineEach(Path file, @TempDir Path runs) throws IOException {
        String source = file.toString();
        List<String> expected = Files.readAllLines(file).stream()
                .takeWhile(l -> l.startsWith("# expect: "))
                .map(l -> l.substring("# expect: ".length())
                        .replace("{dir}", file.toAbsolutePath().getParent().toString())
                        .replace(
                                "MAXHEAP",
                                String.format(
                                        java.util.Locale.ROOT,
                                        "%.1f",
                                        Runtime.getRuntime().maxMemory() / (double) (1L << 30))))
                .map(l -> source + (l.matches("\\d+:\\d+: .*") ? ":" : ": ") + l)
                .toList();
        assertFalse(expected.isEmpty(), file + " has no '# expect: ' line");

        Cli cli = Cli.run(source, "--out", runs.toString());

        assertEquals(expected, cli.errLines());
        assertEquals(2, cli.exitCode());
        assertEquals("", cli.out());
        try (var left = Files.list(runs)) {
            assertEquals(0, left.count(), "a run directory was created for bad input");
        }
    }
}
