package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The slow profile ({@code mvn verify -Pslow}): every committed experiment with a {@code # target:} line runs at full
 * length with its seed, and its summary.json must meet the target, such as {@code test.accuracy >= 0.95} or
 * {@code kept_epoch < epochs}.
 */
@Tag("slow")
class ExperimentTargetsTest {
    private static final Pattern TARGET = Pattern.compile("# target: ([a-z_.]+) (>=|<=|<|>) ([a-z_.]+|[0-9.]+)");

    static Stream<Named<Path>> targeted() throws IOException {
        return ExperimentsTest.experiments().filter(n -> {
            try {
                return Files.readAllLines(n.getPayload()).stream().anyMatch(l -> l.startsWith("# target: "));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targeted")
    void reachesItsTargetAtFullLength(Path file, @TempDir Path runs) throws IOException {
        Cli cli = Cli.run(file.toString(), "--out", runs.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode summary = new ObjectMapper()
                .readTree(ExperimentsTest.runDirectory(cli)
                        .resolve("summary.json")
                        .toFile());
        List<String> lines = Files.readAllLines(file).stream()
                .filter(l -> l.startsWith("# target: "))
                .toList();
        for (String line : lines) {
            Matcher m = TARGET.matcher(line);
            assertTrue(m.matches(), file + ": cannot read '" + line + "'");
            double actual = value(summary, m.group(1));
            double bound = m.group(3).matches("[0-9.]+") ? Double.parseDouble(m.group(3)) : value(summary, m.group(3));
            boolean met = switch (m.group(2)) {
                case ">=" -> actual >= bound;
                case "<=" -> actual <= bound;
                case "<" -> actual < bound;
                default -> actual > bound;
            };
            assertTrue(
                    met,
                    file.getFileName() + ": " + m.group(1) + " = " + actual + ", target " + m.group(2) + " " + bound);
        }
    }

    private static double value(JsonNode summary, String path) {
        JsonNode node = summary;
        for (String key : path.split("\\.")) node = node.path(key);
        assertTrue(node.isNumber(), "summary.json has no number at " + path);
        return node.doubleValue();
    }
}
