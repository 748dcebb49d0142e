package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.backprop.runner.cli.Main;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sbatch script and the Kubernetes Job carry every path exactly, however hostile: quotes, {@code $(...)},
 * backticks, {@code ;}, {@code %}, spaces; the script is run by bash with a {@code java} that records its argv.
 */
class EmittedJobsTest {
    /** Each of these would run a command, or split or end an argument, if it reached a shell or sbatch unquoted. */
    private static final String HOSTILE = "we ird 'q' \"dq\" $(touch pwned1) `touch pwned2`; touch pwned3 # %j \\$HOME";

    private static final String STUDY = """
            name: study
            seed: 10
            data: {train: {name: moons, samples: 60, noise: 0.2}, validation: {split: 0.25}}
            model:
              layers: [{units: 8, activation: tanh}, {units: 2, activation: softmax}]
              initializer: xavier-normal
            cost: cross-entropy
            training: {optimizer: {name: sgd, learning_rate: 0.1}, batch_size: 8, max_epochs: 5}
            sweep:
              grid: {training.l2: [0, 0.01, 0.1]}
            """;

    /** The runner.jar the emitted job runs: the one this code came from, as the sweep command finds it. */
    private static String jar() throws Exception {
        Path location = Path.of(
                Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return (location.toString().endsWith(".jar")
                        ? location
                        : Path.of("runner.jar").toAbsolutePath())
                .toString();
    }

    @Test
    void theSbatchScriptRunsExactlyTheTrialWhateverThePaths(@TempDir Path dir) throws Exception {
        String hostile = HOSTILE.replace("\\", ""); // a backslash is refused for Slurm: see below
        Path experiments = Files.createDirectories(dir.resolve(hostile));
        Path file = Files.writeString(experiments.resolve("st 'u' \"d\" $(touch pwned4) `touch pwned5`;x.yaml"), STUDY);
        Path root = dir.resolve("runs " + hostile);
        Cli cli = Cli.run(
                "sweep",
                file.toString(),
                "--emit",
                "slurm",
                "--out",
                root.toString(),
                "--parallel",
                "2",
                "--threads",
                "3");
        assertEquals(0, cli.exitCode(), cli.err());
        Path script = Path.of(cli.outLines().get(0));
        assertTrue(script.startsWith(root.resolve("study")), script.toString());

        assertEquals(
                List.of(
                        "--job-name=study-" + script.getParent().getFileName(),
                        "--array=0-2%2",
                        "--cpus-per-task=3",
                        "--output="
                                + script.getParent().toAbsolutePath().toString().replace("%", "%%")
                                + "/slurm-%A_%a.out"),
                sbatchOptions(Files.readString(script)),
                Files.readString(script));

        List<String> argv = runWithRecordingJava(dir, script, "1");
        assertEquals(
                List.of(
                        "-jar",
                        jar(),
                        "sweep",
                        file.toAbsolutePath().toString(),
                        "--trial",
                        "1",
                        "--threads",
                        "3",
                        "--out",
                        root.toAbsolutePath().toString()),
                argv);
        assertNothingElseRan(dir);
    }

    @Test
    void aPathSlurmCannotCarryIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path file =
                Files.writeString(Files.createDirectories(dir.resolve("a\nb")).resolve("study.yaml"), STUDY);
        Cli cli = Cli.run(
                "sweep",
                file.toString(),
                "--emit",
                "slurm",
                "--out",
                dir.resolve("runs").toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertEquals(
                List.of("--emit slurm: FILE '"
                        + file.toAbsolutePath().toString().replace("\n", "\\n") + "' holds a line break, which an"
                        + " sbatch script cannot carry (#SBATCH lines end at a line break; a backslash turns off --output's %A_%a);"
                        + " use a path without one"),
                cli.errLines());
        assertFalse(Files.exists(dir.resolve("runs")), "nothing is written when the script cannot be");

        Path plain = Files.writeString(dir.resolve("study.yaml"), STUDY);
        Cli root = Cli.run(
                "sweep",
                plain.toString(),
                "--emit",
                "slurm",
                "--out",
                dir.resolve("runs\\x").toString());
        assertEquals(2, root.exitCode(), root.err());
        assertEquals(1, root.errLines().size(), root.err());
        assertTrue(
                root.err()
                        .startsWith("--emit slurm: --out '"
                                + dir.resolve("runs\\x").toAbsolutePath() + "' holds a backslash,"),
                root.err());
    }

    @Test
    void theKubernetesJobIsAnArgumentListKubernetesExpandsToExactlyTheTrial(@TempDir Path dir) throws Exception {
        String name = "st 'u' \"d\" $(touch pwned) $(JOB_COMPLETION_INDEX) $$ `id`;\nx: [y] #z.yaml";
        Path file =
                Files.writeString(Files.createDirectories(dir.resolve(HOSTILE)).resolve(name), STUDY);
        String image = "registry.example/runner:1 \"quoted\" 'single' #not-a-comment";
        Cli cli = Cli.run(
                "sweep",
                file.toString(),
                "--emit",
                "k8s",
                "--out",
                dir.resolve("runs").toString(),
                "--threads",
                "2",
                "--image",
                image);
        assertEquals(0, cli.exitCode(), cli.err());
        Job job = new ObjectMapper(new YAMLFactory())
                .readValue(Path.of(cli.outLines().get(0)).toFile(), Job.class);
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(image, container.getImage());
        List<String> argv = new ArrayList<>(container.getCommand());
        argv.addAll(container.getArgs());
        Map<String, String> env = Map.of("JOB_COMPLETION_INDEX", "2");
        assertEquals(
                List.of(
                        "java",
                        "-jar",
                        "/work/runner.jar",
                        "sweep",
                        "/work/" + name,
                        "--trial",
                        "2",
                        "--threads",
                        "2",
                        "--out",
                        "/work/runs"),
                argv.stream().map(a -> expand(a, env)).toList());
        assertTrue(
                job.getMetadata().getName().matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"),
                job.getMetadata().getName());
    }

    /** The options sbatch reads from the {@code #SBATCH} lines, split and unquoted as sbatch's own parser does. */
    static List<String> sbatchOptions(String script) {
        List<String> options = new ArrayList<>();
        for (String line : script.split("\n", -1)) {
            if (!line.startsWith("#SBATCH")) {
                if (!line.isBlank() && !line.startsWith("#")) break; // the first command ends the options
                continue;
            }
            int i = "#SBATCH".length();
            while (true) {
                while (i < line.length() && Character.isWhitespace(line.charAt(i))) i++;
                if (i >= line.length()) break;
                var argument = new StringBuilder();
                char quote = 0;
                boolean escaped = false;
                boolean comment = false;
                for (; i < line.length() && (quote != 0 || !Character.isWhitespace(line.charAt(i))); i++) {
                    char c = line.charAt(i);
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                        continue;
                    } else if (quote != 0) {
                        if (c == quote) {
                            quote = 0;
                            continue;
                        }
                    } else if (c == '"' || c == '\'') {
                        quote = c;
                        continue;
                    } else if (c == '#') {
                        comment = true;
                        break;
                    }
                    argument.append(c);
                }
                assertEquals(0, quote, "an unmatched quote, which sbatch rejects: " + line);
                if (!argument.isEmpty()) options.add(argument.toString());
                if (comment) break;
            }
        }
        return options;
    }

    /** Runs {@code script} with bash as a Slurm array task would, a {@code java} first on PATH that writes its argv. */
    private static List<String> runWithRecordingJava(Path dir, Path script, String task) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nprintf '%s\\0' \"$@\" > \"$ARGV_FILE\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path argvFile = dir.resolve("argv");
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        var builder = new ProcessBuilder("bash", script.toString())
                .directory(cwd.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("SLURM_ARRAY_TASK_ID", task);
        builder.environment().put("ARGV_FILE", argvFile.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertEquals("", output, "the script printed nothing of its own");
        String recorded = Files.readString(argvFile, StandardCharsets.UTF_8);
        assertTrue(recorded.endsWith("\0"), recorded);
        return Arrays.asList(recorded.substring(0, recorded.length() - 1).split("\0", -1));
    }

    private static void assertNothingElseRan(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().startsWith("pwned"))
                            .toList());
        }
    }

    /** What Kubernetes makes of a command or args entry: {@code $$} is {@code $}, {@code $(NAME)} the variable if set. */
    static String expand(String s, Map<String, String> env) {
        var out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 == s.length()) {
                out.append(c);
            } else if (s.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (s.charAt(i + 1) == '(' && s.indexOf(')', i + 2) > 0) {
                int end = s.indexOf(')', i + 2);
                String name = s.substring(i + 2, end);
                out.append(env.getOrDefault(name, "$(" + name + ")"));
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
