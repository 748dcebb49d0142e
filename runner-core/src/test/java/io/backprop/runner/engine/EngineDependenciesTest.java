package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine sees the plugin SPI, its own kernels and the JDK; the composition root (setup, run, cli) sees it. */
class EngineDependenciesTest {
    private static final Path ENGINE = Path.of("src/main/java/io/backprop/runner/engine");
    private static final Set<String> ALLOWED = Set.of("engine", "plugin");
    private static final Pattern REFERENCE = Pattern.compile("io\\.backprop\\.runner\\.([a-z]+)");
    private static final Pattern FOREIGN_IMPORT =
            Pattern.compile("^import (static )?(?!java\\.|io\\.backprop\\.runner\\.)", Pattern.MULTILINE);

    @Test
    void theEngineReferencesOnlyThePluginSpiItselfAndTheJdk() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ENGINE)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.size() > 10, "the engine's sources are where this test looks: " + ENGINE.toAbsolutePath());
        for (Path source : sources) {
            String text = Files.readString(source);
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) if (!ALLOWED.contains(m.group(1))) found.add(ENGINE.relativize(source) + ": " + m.group());
            Matcher imports = FOREIGN_IMPORT.matcher(text);
            while (imports.find())
                found.add(ENGINE.relativize(source) + ": a non-JDK import at offset " + imports.start());
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theCheckCatchesAReferenceToTheRegistry() {
        Matcher m = REFERENCE.matcher("import io.backprop.runner.registry.Registry;");
        assertTrue(m.find());
        assertTrue(!ALLOWED.contains(m.group(1)));
        assertTrue(FOREIGN_IMPORT
                .matcher("package x;\nimport org.yaml.snakeyaml.Yaml;\n")
                .find());
    }
}
