package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/plugins.md quotes plugins/example's files: every quoted block must be the file it names, as it is built. */
class PluginGuideTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern NAMED = Pattern.compile("`(plugins/example/src/[^`]+)`");

    /** The next code block after a line naming a file: fenced, or indented by four spaces. */
    private static List<String[]> quotedFiles(List<String> lines) {
        List<String[]> quoted = new ArrayList<>();
        String pending = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher named = NAMED.matcher(lines.get(i));
            if (named.find()) {
                pending = named.group(1);
                continue;
            }
            if (pending == null) continue;
            List<String> block = new ArrayList<>();
            if (lines.get(i).startsWith("```")) {
                while (!lines.get(++i).startsWith("```")) block.add(lines.get(i));
            } else if (lines.get(i).startsWith("    ")) {
                for (; i < lines.size() && lines.get(i).startsWith("    "); i++)
                    block.add(lines.get(i).substring(4));
            } else {
                continue;
            }
            quoted.add(new String[] {pending, String.join("\n", block)});
            pending = null;
        }
        return quoted;
    }

    @Test
    void theCostExampleIsPluginsExamplesHuberFileForFile() throws IOException {
        List<String[]> quoted = quotedFiles(Files.readAllLines(ROOT.resolve("docs/plugins.md")));
        List<String> names =
                quoted.stream().map(q -> Path.of(q[0]).getFileName().toString()).toList();
        assertTrue(
                names.containsAll(List.of(
                        "HuberCost.java",
                        "HuberCostProvider.java",
                        "io.backprop.runner.plugin.CostProvider",
                        "HuberCostTest.java")),
                names.toString());
        for (String[] q : quoted) {
            assertEquals(Files.readString(ROOT.resolve(q[0])).strip(), q[1].strip(), "docs/plugins.md quotes " + q[0]);
        }
    }
}
