package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled runner.jar, run as users run it: {@code java -jar runner.jar ...} in a process of its own. */
class RunnerJarIT {
    private static final Path JAR = Path.of(System.getProperty("runner.jar", "../runner.jar"));
    /** A JDK release file's version line, {@code JAVA_VERSION="25.0.3"}: its major version. */
    private static final java.util.regex.Pattern JAVA_VERSION =
            java.util.regex.Pattern.compile("^JAVA_VERSION=\"(\\d+)");

    record Result(int exitCode, List<String> out, List<String> err) {}

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, java.util.Map.of(), args);
    }

    static Result run(Path dir, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(Path.of(System.getProperty("java.home")), dir, env, args);
    }

    /** As {@link #run(Path, java.util.Map, String...)}, on the JDK or JRE at {@code javaHome}. */
    static Result run(Path javaHome, Path dir, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                javaHome.resolve("bin").resolve("java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        var builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("RUNNER_PLUGIN_PATH");
        builder.environment().putAll(env);
        var process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly(); // a hung run must not outlive the test
            org.junit.jupiter.api.Assertions.fail("runner.jar did not finish");
        }
        return new Result(
                process.exitValue(),
                Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    @Test
    void xorTrainsToFullAccuracyAndTheLastLineNamesTheRun(@TempDir Path dir) throws Exception {
        Path xor = ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toAbsolutePath();
        Result r = run(dir, xor.toString());
        assertEquals(0, r.exitCode(), String.join("\n", r.err()));
        Path run = dir.resolve(r.out().get(r.out().size() - 1));
        assertTrue(run.startsWith(dir.resolve("runs/xor")), "runs/ in the working directory by default: " + run);
        var summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals("stopped", summary.get("status").asText());
        assertEquals(1.0, summary.get("train").get("accuracy").doubleValue());
        assertTrue(summary.get("epochs").intValue() < 5000);
    }

    @Test
    void aNewerJdkTrainsAndExportsWithoutWarnings(@TempDir Path dir) throws Exception {
        // JDK 24 and later warn of native code loaded without Enable-Native-Access and of sun.misc.Unsafe (protobuf).
        Path jdk = newestJdk(Path.of("/usr/lib/jvm"));
        assumeTrue(jdk != null && major(jdk) >= 24, "needs a JDK 24 or later under /usr/lib/jvm");
        String xor =
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toAbsolutePath().toString();
        Result newer = run(jdk, dir, java.util.Map.of(), xor, "--set", "training.max_epochs=2");
        assertEquals(0, newer.exitCode(), String.join("\n", newer.err()));
        assertEquals(List.of(), newer.err(), "nothing on stderr under " + jdk);
        Result own = run(dir, xor, "--set", "training.max_epochs=2");
        assertEquals(kernels(own), kernels(newer), "the same kernels as under this JDK");
        String run = newer.out().get(newer.out().size() - 1);
        Result exported = run(jdk, dir, java.util.Map.of(), "export", run);
        assertEquals(0, exported.exitCode(), String.join("\n", exported.err()));
        assertEquals(List.of(), exported.err(), "nothing on stderr from export under " + jdk);
        assertTrue(Files.size(dir.resolve(exported.out().get(exported.out().size() - 1))) > 0);
    }

    /** The run's {@code kernels:} line. */
    private static String kernels(Result r) {
        return r.out().stream()
                .filter(line -> line.startsWith("kernels: "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no kernels line in " + r.out()));
    }

    /** The JDK of the highest major version among the directories of {@code jvms} that hold a release file. */
    private static Path newestJdk(Path jvms) throws IOException {
        if (!Files.isDirectory(jvms)) return null;
        try (var dirs = Files.list(jvms)) {
            return dirs.filter(
                            d -> Files.isRegularFile(d.resolve("release")) && Files.isExecutable(d.resolve("bin/java")))
                    .max(java.util.Comparator.comparingInt(RunnerJarIT::major))
                    .orElse(null);
        }
    }

    /** The major version in a JDK's release file ({@code JAVA_VERSION="25.0.3"}), or 0. */
    private static int major(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"), StandardCharsets.UTF_8)) {
                var m = JAVA_VERSION.matcher(line);
                if (m.find()) return Integer.parseInt(m.group(1));
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    @Test
    void theJavaKernelsTrainToTheBitsOfTheNativeOnes(@TempDir Path dir) throws Exception {
        // digits' products (up to 32 x 64 x 64) go native; -Dbackprop.kernels=java keeps them in Java.
        String digits = ExperimentsTest.EXPERIMENTS
                .resolve("digits.yaml")
                .toAbsolutePath()
                .toString();
        var javaKernels = java.util.Map.of("JDK_JAVA_OPTIONS", "-Dbackprop.kernels=java");
        Path runs = dir.resolve("runs");
        Result n = run(
                dir, digits, "--out", runs.toString(), "--set", "training.max_epochs=3", "--threads", "2", "--quiet");
        Result j = run(
                dir,
                javaKernels,
                digits,
                "--out",
                runs.toString(),
                "--set",
                "training.max_epochs=3",
                "--threads",
                "2",
                "--quiet");
        assertEquals(0, n.exitCode(), String.join("\n", n.err()));
        assertEquals(0, j.exitCode(), String.join("\n", j.err()));
        Path nativeRun = Path.of(n.out().get(n.out().size() - 1));
        Path javaRun = Path.of(j.out().get(j.out().size() - 1));
        assertEquals(
                Files.readString(nativeRun.resolve("model.json")), Files.readString(javaRun.resolve("model.json")));
        var json = new ObjectMapper();
        var a = Files.readAllLines(nativeRun.resolve("metrics.jsonl"));
        var b = Files.readAllLines(javaRun.resolve("metrics.jsonl"));
        assertEquals(3, a.size());
        for (int i = 0; i < a.size(); i++) {
            var x = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(a.get(i));
            var y = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(b.get(i));
            x.remove(List.of("seconds", "examples_per_second"));
            y.remove(List.of("seconds", "examples_per_second"));
            assertEquals(x, y, "epoch " + (i + 1) + ": every metric but the times");
        }
        Result bench = run(dir, javaKernels, "bench", digits, "--set", "training.max_epochs=1", "--json");
        assertEquals(0, bench.exitCode(), String.join("\n", bench.err()));
        assertEquals(
                "Java (native kernels disabled by -Dbackprop.kernels=java)",
                json.readTree(bench.out().get(bench.out().size() - 1))
                        .get("kernels")
                        .asText());
    }

    @Test
    void kernelsThatCannotRunAreBadInput(@TempDir Path dir) throws Exception {
        String xor =
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toAbsolutePath().toString();
        for (String command : List.of("run", "bench")) {
            Result r = run(dir, java.util.Map.of("JDK_JAVA_OPTIONS", "-Dbackprop.kernels=avx3"), command, xor);
            assertEquals(2, r.exitCode(), String.join("\n", r.err()));
            List<String> own = r.err().stream()
                    .filter(line -> !line.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS"))
                    .toList();
            assertEquals(1, own.size(), "one line: " + own);
            assertTrue(own.get(0).startsWith("runner: -Dbackprop.kernels=avx3 names no kernels"), own.get(0));
            assertEquals(List.of(), r.out(), "nothing trained");
        }
    }

    @Test
    void servicesFilesAreMergedSoEveryBuiltInIsListed(@TempDir Path dir) throws Exception {
        Result r = run(dir, "plugins");
        assertEquals(0, r.exitCode(), String.join("\n", r.err()));
        String listing = String.join("\n", r.out());
        for (String name : List.of(
                "xor",
                "identity",
                "relu",
                "sigmoid",
                "tanh",
                "constant",
                "normal",
                "uniform",
                "zeros",
                "quadratic",
                "sgd",
                "target-loss",
                "file")) {
            assertTrue(listing.matches("(?s).*\\n  " + name + " .*"), name + " missing from:\n" + listing);
        }
    }

    @Test
    void aMistypedKeyEndsWithExitCode2AndOneLine(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(
                typo,
                Files.readString(ExperimentsTest.EXPERIMENTS.resolve("xor.yaml"))
                        .replace("batch_size", "batchsize"));
        Result r = run(dir, "typo.yaml");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().size(), String.join("\n", r.err()));
        assertTrue(
                r.err()
                        .get(0)
                        .matches(
                                "typo\\.yaml:\\d+:3: training\\.batchsize: unknown key 'batchsize'; did you mean 'batch_size'\\? .*"),
                r.err().get(0));
        assertTrue(!Files.exists(dir.resolve("runs")), "bad input must not start a run");
    }

    @Test
    void versionAndHelpAnswer(@TempDir Path dir) throws Exception {
        Result version = run(dir, "--version");
        assertEquals(0, version.exitCode());
        assertTrue(
                version.out().get(0).matches("backprop-runner \\S+"),
                version.out().toString());
        Result help = run(dir, "--help");
        assertEquals(0, help.exitCode());
        assertTrue(String.join("\n", help.out()).contains("validate"));
    }
}
