package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command the README and docs/ show in a code block runs as pasted, in order, in a fresh directory that holds
 * runner.jar and the repository's folders as a clone does; so no example can go stale. A synopsis line (one with
 * {@code [options]} or a placeholder in capitals such as FILE or RUN_DIR) shows a form, not an example, and is left.
 * The Chromium screenshot needs Chromium: left out without it, unless under {@code -Pservices}, where it must run.
 */
class DocExamplesIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A placeholder: a word in capitals standing alone (FILE, RUN_DIR, N), or an option in brackets. */
    private static final Pattern SYNOPSIS =
            Pattern.compile("\\[|(?<![\\w$./=-])[A-Z][A-Z_]*(?:\\.\\.\\.)?(?![\\w./=-])");
    /** What a clone holds that the examples read; linked into the directory they run in. */
    private static final List<String> LINKED = List.of("runner.jar", "experiments", "plugins", "docs", "bench");

    private static final Pattern COMMAND =
            Pattern.compile("^(?:java -jar runner\\.jar|printf .*\\| *java -jar runner\\.jar|chromium) .*");

    /** A command with where it was written. */
    record Example(String file, int line, String command) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + command;
        }
    }

    /** The commands of the code blocks (indented by four spaces, or fenced) of one Markdown file, continuations joined. */
    static List<Example> examples(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        boolean fenced = false;
        String name = ROOT.relativize(markdown).toString();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced && !line.startsWith("    ")) continue;
            int first = i;
            var command = new StringBuilder(line.strip());
            while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
                command.setLength(command.length() - 1);
                command.append(' ').append(lines.get(++i).strip());
            }
            String text = command.toString().replaceAll("\\s+", " ");
            if (text.startsWith("mvn ") && text.contains(" && "))
                text = text.substring(text.indexOf(" && ") + 4); // the build ran
            if (COMMAND.matcher(text).matches()
                    && !SYNOPSIS.matcher(withoutComment(text)).find()) {
                examples.add(new Example(name, first + 1, text));
            }
        }
        return examples;
    }

    private static String withoutComment(String command) {
        int hash = command.indexOf(" #");
        return hash < 0 ? command : command.substring(0, hash);
    }

    static List<Example> allExamples() throws IOException {
        List<Example> all = new ArrayList<>(examples(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path doc :
                    docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) all.addAll(examples(doc));
        }
        return all;
    }

    @Test
    void theExtractorFindsCommandsAndLeavesSynopses(@TempDir Path dir) throws IOException {
        Path md = dir.resolve("x.md");
        Files.writeString(
                md,
                String.join(
                        "\n",
                        "Text `java -jar runner.jar inline` is prose.",
                        "",
                        "    java -jar runner.jar run FILE.yaml [--out DIR]",
                        "    java -jar runner.jar report RUN_DIR...",
                        "    java -jar runner.jar experiments/xor.yaml --set training.l2=1e-4   # ALL CAPS in a comment",
                        "    chromium --headless \\",
                        "        --screenshot=runs/x.png \"file://$PWD/runs/x/latest/report.html\"",
                        "```bash",
                        "printf 'a,b\\n1,2\\n' | java -jar runner.jar predict runs/iris/latest",
                        "```",
                        ""));
        var found = examples(md).stream().map(Example::command).toList();
        assertEquals(
                List.of(
                        "java -jar runner.jar experiments/xor.yaml --set training.l2=1e-4 # ALL CAPS in a comment",
                        "chromium --headless --screenshot=runs/x.png \"file://$PWD/runs/x/latest/report.html\"",
                        "printf 'a,b\\n1,2\\n' | java -jar runner.jar predict runs/iris/latest"),
                found);
    }

    @Test
    void everyExampleRunsAsPasted(@TempDir Path dir) throws Exception {
        List<Example> examples = allExamples();
        assertTrue(examples.size() >= 5, "the README shows its commands in code blocks: " + examples);
        Path clone = dir.resolve("clone");
        Files.createDirectories(clone);
        for (String entry : LINKED) {
            Files.createSymbolicLink(clone.resolve(entry), ROOT.resolve(entry));
        }
        boolean chromium = onPath("chromium");
        List<String> failures = new ArrayList<>();
        try {
            runAll(examples, clone, dir, chromium, failures);
        } finally {
            for (String entry : LINKED) Files.delete(clone.resolve(entry)); // the links, not what they point at
        }
        if (!failures.isEmpty())
            fail(failures.size() + " of " + examples.size() + " examples failed:\n" + String.join("\n", failures));
    }

    private static void runAll(List<Example> examples, Path clone, Path dir, boolean chromium, List<String> failures)
            throws IOException, InterruptedException {
        for (Example example : examples) {
            if (example.command().startsWith("chromium") && !chromium) {
                if ("none".equals(System.getProperty("services.excluded")))
                    failures.add(example + ": chromium is not installed");
                else System.out.println("DocExamplesIT: left out (needs chromium): " + example);
                continue;
            }
            var builder = new ProcessBuilder("bash", "-c", example.command())
                    .directory(clone.toFile())
                    .redirectErrorStream(true);
            builder.environment()
                    .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
            builder.environment().remove("RUNNER_PLUGIN_PATH");
            Path output = Files.createTempFile(dir, "out", ".txt");
            builder.redirectOutput(output.toFile());
            var process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                failures.add(example + ": still running after 180 s");
                continue;
            }
            if (process.exitValue() != 0) {
                failures.add(example + ": exit " + process.exitValue() + "\n" + Files.readString(output));
            }
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
