package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.dist.RunnerJarIT.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the runner promises about a run directory, held to with real processes of runner.jar: one writer at a time,
 * {@code latest}, a graceful stop on SIGTERM and SIGINT, checkpoints checked before a resume writes anything, and
 * I/O failures reported in a line.
 */
class RunDirectoryIT {
    private static final Path JAR = Path.of(System.getProperty("runner.jar", "../runner.jar"));

    /** Early stopping keeps an earlier epoch than the last, checkpoints every 25 epochs; a few seconds in all. */
    private static final String LONG = """
            name: long
            seed: 9
            data: {train: {name: moons, samples: 400, noise: 0.3}, validation: {split: 0.25}}
            model:
              layers: [{units: 64, activation: relu, dropout: 0.3}, {units: 64, activation: tanh}, {units: 2, activation: softmax}]
              initializer: he-normal
            cost: cross-entropy
            training:
              optimizer: {name: adam, learning_rate: 0.003}
              batch_size: 16
              max_epochs: 400
              checkpoint_every: 25
              stopping: [{name: early-stopping, patience: 1000}]
            """;

    private static Process start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(Files.createTempFile(dir, "out", ".txt").toFile())
                .redirectError(Files.createTempFile(dir, "err", ".txt").toFile());
        builder.environment().remove("RUNNER_PLUGIN_PATH");
        return builder.start();
    }

    /** The only run directory under {@code parent}, once it has recorded {@code epochs} epochs. */
    private static Path runWithEpochs(Process process, Path parent, int epochs) throws Exception {
        for (int i = 0; i < 6000 && process.isAlive(); i++) {
            Path run = null;
            if (Files.isDirectory(parent)) {
                try (Stream<Path> runs = Files.list(parent)) {
                    run = runs.filter(p -> p.getFileName().toString().matches("\\d{8}-\\d{6}-\\w+"))
                            .findFirst()
                            .orElse(null);
                }
            }
            if (run != null
                    && Files.exists(run.resolve("metrics.jsonl"))
                    && Files.readAllLines(run.resolve("metrics.jsonl")).size() >= epochs) {
                return run;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the run ended, or never got to epoch " + epochs);
    }

    private static int exit(Process process) throws InterruptedException {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "runner.jar did not end");
        return process.exitValue();
    }

    /** Every file of {@code run} but the lock, by name, with its bytes. */
    private static Map<String, String> files(Path run) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.list(run)) {
            for (Path p : all.toList()) {
                if (!p.getFileName().toString().equals(".lock"))
                    files.put(
                            p.getFileName().toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    private static JsonNode summary(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    }

    /** A run of LONG stopped by SIGTERM after some epochs: status interrupted, a checkpoint to go on from. */
    private static Path interrupted(Path dir, String out) throws Exception {
        Path file = dir.resolve("long.yaml");
        if (!Files.exists(file)) Files.writeString(file, LONG);
        Process process = start(dir, file.toString(), "--out", out, "--quiet");
        Path run = runWithEpochs(process, dir.resolve(out).resolve("long"), 60);
        process.destroy(); // SIGTERM
        assertEquals(143, exit(process));
        return run;
    }

    @Test
    void aSecondWriterIsTurnedAwayWithTheLivePidAndReadersTouchNothing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.yaml"), LONG);
        // Long enough to outlast the readers' processes however slow the machine; killed below.
        Process first = start(dir, "long.yaml", "--quiet", "--set", "training.max_epochs=1000000");
        Path run = runWithEpochs(first, dir.resolve("runs/long"), 5);
        String pid = String.valueOf(first.pid());
        try {
            Result resume = RunnerJarIT.run(dir, "run", "--resume", run.toString());
            assertEquals(2, resume.exitCode());
            assertEquals(
                    List.of(run + ": a run is still writing there (pid " + pid
                            + "); wait for it to end, or stop it with kill " + pid),
                    resume.err());
            Result report = RunnerJarIT.run(dir, "report", run.toString());
            assertEquals(2, report.exitCode());
            assertEquals(
                    List.of(run + ": the run is still going (pid " + pid
                            + ") and has no summary.json yet; report it when it ends"),
                    report.err());
            assertFalse(Files.exists(run.resolve("report.html")), "a refused report writes nothing");
            Result evaluate = RunnerJarIT.run(dir, "evaluate", run.toString());
            assertEquals(2, evaluate.exitCode());
            assertEquals(
                    List.of(run + ": the run is still going (pid " + pid
                            + ") and has no model.json yet; use it when it ends"),
                    evaluate.err());
            assertTrue(first.isAlive(), "the readers raced the writer while it ran");
            for (int i = 0; i < 6000 && !Files.exists(run.resolve("checkpoint.bin")); i++) Thread.sleep(5);
        } finally {
            first.destroyForcibly();
            first.waitFor(10, TimeUnit.SECONDS);
        }
        // Killed with SIGKILL, its .lock names a dead pid: stale, taken over by the next writer.
        assertEquals(pid, Files.readString(run.resolve(".lock")).trim());
        Process second = start(dir, "run", "--resume", run.toString(), "--quiet");
        try {
            for (int i = 0;
                    i < 2000 && !Files.readString(run.resolve(".lock")).trim().equals(String.valueOf(second.pid()));
                    i++) Thread.sleep(5);
            String live = String.valueOf(second.pid());
            assertEquals(live, Files.readString(run.resolve(".lock")).trim(), "the resume took the stale lock over");
            Result third = RunnerJarIT.run(dir, "run", "--resume", run.toString());
            assertEquals(2, third.exitCode());
            assertEquals(
                    List.of(run + ": a run is still writing there (pid " + live
                            + "); wait for it to end, or stop it with kill " + live),
                    third.err());
            second.destroy();
            assertEquals(143, exit(second));
        } finally {
            second.destroyForcibly();
        }
        assertEquals("interrupted", summary(run).get("status").asText());
        assertEquals("", Files.readString(run.resolve(".lock")), "a run that ended holds no lock");
    }

    @Test
    void sigtermKeepsTheBestWeightsAndTheRunGoesOnToTheBitsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path run = interrupted(dir, "runs");
        JsonNode s = summary(run);
        assertEquals("interrupted", s.get("status").asText());
        assertEquals("signal SIGTERM", s.get("stop_reason").asText());
        int epochs = s.get("epochs").intValue();
        assertEquals(
                epochs,
                Files.readAllLines(run.resolve("metrics.jsonl")).size(),
                "the epoch it was in is finished and recorded");
        assertTrue(epochs < 400, "stopped at epoch " + epochs);
        assertEquals(
                s.get("best_epoch"), s.get("kept_epoch"), "early stopping's best epoch is kept, as at a normal stop");
        assertTrue(Files.exists(run.resolve("model.json")) && Files.exists(run.resolve("checkpoint.bin")));

        // The kept weights are those of the best epoch: the model evaluates to that epoch's validation loss.
        Result evaluate = RunnerJarIT.run(dir, "evaluate", "runs/long/latest", "--split", "validation", "--json");
        assertEquals(0, evaluate.exitCode(), String.join("\n", evaluate.err()));
        assertEquals(
                s.get("validation").get("loss").doubleValue(),
                new ObjectMapper().readTree(evaluate.out().get(0)).get("loss").doubleValue(),
                1e-12);

        Result resumed = RunnerJarIT.run(dir, "run", "--resume", "runs/long/latest", "--quiet");
        assertEquals(0, resumed.exitCode(), String.join("\n", resumed.err()));
        assertEquals(
                List.of(dir.relativize(run).toString()),
                resumed.out(),
                "latest is followed to the run's own directory");
        Result whole = RunnerJarIT.run(dir, "long.yaml", "--out", "whole", "--quiet");
        assertEquals(0, whole.exitCode(), String.join("\n", whole.err()));
        Path reference = dir.resolve(whole.out().get(0));
        assertEquals(Files.readString(reference.resolve("model.json")), Files.readString(run.resolve("model.json")));
        var json = new ObjectMapper();
        List<String> a = Files.readAllLines(reference.resolve("metrics.jsonl"));
        List<String> b = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++)
            assertEquals(
                    json.readTree(a.get(i)).get("train_loss"),
                    json.readTree(b.get(i)).get("train_loss"));
        assertEquals("completed", summary(run).get("status").asText());
    }

    @Test
    void sigintStopsWithExitCode130AndASecondSignalEndsItAtOnce(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.yaml"), LONG);
        Process process = start(dir, "long.yaml", "--quiet", "--set", "training.checkpoint_every=0");
        Path run = runWithEpochs(process, dir.resolve("runs/long"), 20);
        assertEquals(
                0,
                new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
                        .start()
                        .waitFor());
        assertEquals(130, exit(process));
        assertEquals("signal SIGINT", summary(run).get("stop_reason").asText());
        assertTrue(Files.exists(run.resolve("model.json")), "the trained weights are kept");
        assertFalse(Files.exists(run.resolve("checkpoint.bin")), "no checkpoints asked for, none written");

        // Epochs of a whole second each: the second signal comes long before the first epoch could end.
        Process slow = start(
                dir,
                "long.yaml",
                "--quiet",
                "--out",
                "slow",
                "--set",
                "data.train.samples=200000",
                "--set",
                "training.batch_size=1",
                "--threads",
                "1");
        Path parent = dir.resolve("slow/long");
        for (int i = 0;
                i < 2000 && !(Files.isDirectory(parent) && Files.exists(parent.resolve("latest/metrics.jsonl")));
                i++) Thread.sleep(5);
        Thread.sleep(300); // past the handlers' installation, well inside the first epoch
        long sent = System.nanoTime();
        slow.destroy();
        Thread.sleep(100);
        slow.destroy();
        assertEquals(143, exit(slow));
        assertTrue((System.nanoTime() - sent) / 1e9 < 5, "the second signal ended it at once");
        assertFalse(Files.exists(parent.resolve("latest/summary.json")), "ended before the epoch did");
    }

    @Test
    void latestFollowsTheNewestRunAndEveryRunDirArgumentTakesIt(@TempDir Path dir) throws Exception {
        String xor =
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toAbsolutePath().toString();
        Result first = RunnerJarIT.run(dir, xor, "--quiet");
        Result second = RunnerJarIT.run(dir, xor, "--quiet");
        Path newest = Path.of(second.out().get(0));
        Path latest = dir.resolve("runs/xor/latest");
        assertTrue(Files.isSymbolicLink(latest));
        assertEquals(
                newest.getFileName(), Files.readSymbolicLink(latest), "a relative link, so the runs root can move");
        assertFalse(Files.readSymbolicLink(latest)
                .equals(Path.of(first.out().get(0)).getFileName()));
        try (Stream<Path> left = Files.list(dir.resolve("runs/xor"))) {
            assertEquals(3, left.count(), "two runs and latest, no temporary link left");
        }

        String csv = "a,b\n0,1\n1,1\n";
        Files.writeString(dir.resolve("in.csv"), csv);
        for (String form : List.of("runs/xor/latest", "runs/xor")) {
            Result evaluate = RunnerJarIT.run(dir, "evaluate", form, "--split", "train");
            assertEquals(0, evaluate.exitCode(), form + ": " + String.join("\n", evaluate.err()));
            Result predict = RunnerJarIT.run(dir, "predict", form, "--input", "in.csv");
            assertEquals(0, predict.exitCode(), form + ": " + String.join("\n", predict.err()));
            assertEquals(3, predict.out().size());
            Result report = RunnerJarIT.run(dir, "report", form);
            assertEquals(0, report.exitCode(), form + ": " + String.join("\n", report.err()));
            assertEquals(
                    List.of(newest.resolve("report.html").toString()),
                    report.out(),
                    form + " names the run's own report");
        }
        // Where links cannot be made, latest is a file naming the run; it is read the same way.
        Files.delete(latest);
        Files.writeString(latest, newest.getFileName() + "\n");
        for (String form : List.of("runs/xor/latest", "runs/xor")) {
            Result evaluate = RunnerJarIT.run(dir, "evaluate", form, "--split", "train");
            assertEquals(0, evaluate.exitCode(), form + ": " + String.join("\n", evaluate.err()));
        }

        // A sweep's trials never move the experiment's latest.
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, Files.readString(Path.of(xor)) + "\nsweep: {grid: {training.batch_size: [2, 4]}}\n");
        Files.delete(latest);
        RunnerJarIT.run(dir, xor, "--quiet");
        Path before = Files.readSymbolicLink(latest);
        Result swept = RunnerJarIT.run(dir, "sweep", sweep.toString(), "--parallel", "1");
        assertEquals(0, swept.exitCode(), String.join("\n", swept.err()));
        assertEquals(before, Files.readSymbolicLink(latest));
    }

    @Test
    void aBrokenCheckpointOrRecordIsOneLineAndChangesNothing(@TempDir Path dir) throws Exception {
        Path original = interrupted(dir, "runs");
        String name = original.getFileName().toString();
        int[] copies = {0};
        // Each case: a copy of the interrupted run (same name), broken one way, then the line a resume must print.
        record Case(Consumer<Path> breakIt, String line) {}
        List<Case> cases = List.of(
                new Case(
                        run -> flipByte(run.resolve("checkpoint.bin")),
                        "checkpoint.bin: corrupt: its CRC32C checksum does not match its contents;"
                                + " the run cannot go on from it (start it again, or resume from an intact copy)"),
                new Case(run -> cut(run.resolve("checkpoint.bin"), 100), "checkpoint.bin: truncated or padded: "),
                new Case(
                        run -> append(run.resolve("config.yaml"), "# edited\n"),
                        "config.yaml: changed since the checkpoint was written;"
                                + " a resumed run needs the config it started with: restore it, or start a new run from the edited file"),
                new Case(
                        run -> delete(run.resolve("metrics.jsonl")),
                        "metrics.jsonl: no such file; resuming needs the metrics of the "),
                new Case(
                        run -> keepLines(run.resolve("metrics.jsonl"), 10),
                        "metrics.jsonl: has 10 epochs; the checkpoint is at epoch "),
                new Case(
                        run -> replaceLine(run.resolve("metrics.jsonl"), 3),
                        "are not the ones the checkpoint was written after"));
        for (Case c : cases) {
            Path run = copy(original, dir.resolve("copy" + copies[0]++).resolve(name));
            c.breakIt().accept(run);
            Map<String, String> before = files(run);
            Result r = RunnerJarIT.run(dir, "run", "--resume", run.toString());
            assertEquals(2, r.exitCode(), String.join("\n", r.err()));
            assertEquals(1, r.err().size(), String.join("\n", r.err()));
            assertTrue(
                    r.err().get(0).startsWith(run.toString()) && r.err().get(0).contains(c.line()),
                    r.err().get(0));
            assertEquals(before, files(run), "a refused resume changes nothing: " + c.line());
        }
        // From another run: a checkpoint copied into a run of another name.
        Path foreign = copy(original, dir.resolve("foreign").resolve("20000101-000000-abcdef"));
        Result r = RunnerJarIT.run(dir, "run", "--resume", foreign.toString());
        assertEquals(2, r.exitCode());
        assertEquals(
                List.of(
                        foreign.resolve("checkpoint.bin") + ": belongs to run " + name
                                + ", not to this one (20000101-000000-abcdef): a checkpoint goes on only in its own run directory"),
                r.err());
        // The original, untouched by all this, goes on.
        Result ok = RunnerJarIT.run(dir, "run", "--resume", original.toString(), "--quiet");
        assertEquals(0, ok.exitCode(), String.join("\n", ok.err()));
    }

    @Test
    void aKilledRunIsRefusedUntouchedLockIncludedAndGoesOnWithoutItsTemporaryFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.yaml"), LONG);
        Process process = start(dir, "long.yaml", "--quiet");
        Path run = runWithEpochs(process, dir.resolve("runs/long"), 30);
        for (int i = 0; i < 2000 && !Files.exists(run.resolve("checkpoint.bin")); i++) Thread.sleep(5);
        process.destroyForcibly(); // SIGKILL: its pid stays in .lock, and a write it was in leaves its temporary file
        exit(process);
        Files.writeString(run.resolve(".checkpoint.bin.0123456789abcdef.tmp"), "");
        String deadPid = Files.readString(run.resolve(".lock"));
        assertEquals(process.pid() + "\n", deadPid);

        Path broken = copy(run, dir.resolve("broken").resolve(run.getFileName()));
        flipByte(broken.resolve("checkpoint.bin"));
        Result refused = RunnerJarIT.run(dir, "run", "--resume", broken.toString());
        assertEquals(2, refused.exitCode(), String.join("\n", refused.err()));
        assertEquals(deadPid, Files.readString(broken.resolve(".lock")), "a refused resume leaves .lock as it was");

        Result resumed = RunnerJarIT.run(dir, "run", "--resume", run.toString(), "--quiet");
        assertEquals(0, resumed.exitCode(), String.join("\n", resumed.err()));
        try (Stream<Path> all = Files.list(run)) {
            assertEquals(
                    List.of(),
                    all.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                    "the dead writer's temporary file is removed");
        }
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointSaysSo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.yaml"), LONG.replace("checkpoint_every: 25", "checkpoint_every: 1000"));
        Process process = start(dir, "long.yaml", "--quiet");
        Path run = runWithEpochs(process, dir.resolve("runs/long"), 5);
        process.destroyForcibly();
        exit(process);
        Result r = RunnerJarIT.run(dir, "run", "--resume", run.toString());
        assertEquals(2, r.exitCode());
        assertEquals(
                List.of(run + ": has no checkpoint to resume from: it ended before its first one"
                        + " (training.checkpoint_every: 1000); start the run again"),
                r.err());
    }

    @Test
    void anInterruptedRunNamesTheResumeCommandAsAShellTakesIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.yaml"), LONG.replace("name: long", "name: long run"));
        Process process = start(dir, "long.yaml", "--quiet");
        Path run = runWithEpochs(process, dir.resolve("runs/long run"), 30);
        process.destroy();
        assertEquals(143, exit(process));
        String err;
        try (Stream<Path> files = Files.list(dir)) {
            Path errFile = files.filter(p -> p.getFileName().toString().startsWith("err"))
                    .findFirst()
                    .orElseThrow();
            err = Files.readString(errFile);
        }
        assertTrue(err.contains("; go on with: run --resume 'runs/long run/" + run.getFileName() + "'\n"), err);
    }

    @Test
    void aBadOutOrOutputIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        String xor =
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toAbsolutePath().toString();
        Files.writeString(dir.resolve("afile"), "");
        Result notDirectory = RunnerJarIT.run(dir, xor, "--out", "afile");
        assertEquals(2, notDirectory.exitCode());
        assertEquals(
                List.of("--out: afile is not a directory; name a directory for the runs (it is made if missing)"),
                notDirectory.err());
        Result under = RunnerJarIT.run(dir, xor, "--out", "afile/runs");
        assertEquals(2, under.exitCode());
        assertEquals(1, under.err().size(), String.join("\n", under.err()));

        Result run = RunnerJarIT.run(dir, xor, "--quiet");
        Files.createDirectories(dir.resolve("outdir"));
        Files.writeString(dir.resolve("in.csv"), "a,b\n0,1\n");
        Result predict = RunnerJarIT.run(dir, "predict", run.out().get(0), "--input", "in.csv", "--output", "outdir");
        assertEquals(2, predict.exitCode());
        assertEquals(List.of("--output: outdir is a directory; name the CSV file to write"), predict.err());

        Path readOnly = dir.resolve("ro");
        Files.createDirectories(readOnly);
        assumeTrue(mount(readOnly, "ro,size=64k"), "needs root to mount a read-only tmpfs");
        try {
            Result r = RunnerJarIT.run(dir, xor, "--out", "ro/runs");
            assertEquals(2, r.exitCode());
            assertEquals(
                    List.of("--out: cannot write in " + readOnly.toAbsolutePath()
                            + ": read-only file system; name a directory you can write in"),
                    r.err());
        } finally {
            umount(readOnly);
        }
    }

    @Test
    void aFullDiskFailsTheRunInOneLineKeepingWhatItRecorded(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        assumeTrue(mount(small, "size=64k"), "needs root to mount a small tmpfs");
        try {
            Files.writeString(dir.resolve("long.yaml"), LONG);
            Result r = RunnerJarIT.run(dir, "long.yaml", "--out", "small", "--quiet");
            assertEquals(3, r.exitCode(), String.join("\n", r.err()));
            assertEquals(1, r.err().size(), String.join("\n", r.err()));
            Path run = Path.of(r.out().get(r.out().size() - 1));
            assertTrue(
                    r.err()
                            .get(0)
                            .matches("run failed: .*small/long/.*: no space left on device; what it recorded is in "
                                    + run),
                    r.err().get(0));
            assertTrue(
                    Files.readAllLines(dir.resolve(run).resolve("metrics.jsonl"))
                                    .size()
                            > 10,
                    "the epochs recorded are kept");
            assertTrue(Files.exists(dir.resolve(run).resolve("config.yaml")));
            try (Stream<Path> all = Files.walk(small)) {
                assertEquals(
                        List.of(),
                        all.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                                .toList(),
                        "no temporary file left");
            }
        } finally {
            umount(small);
        }
    }

    @Test
    void aDiskTooFullForTheSummaryStillFailsTheRunInOneLine(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        assumeTrue(mount(small, "size=64k"), "needs root to mount a small tmpfs");
        try {
            // XOR's metrics fill the disk long before its last epoch: nothing after them fits.
            Files.writeString(
                    dir.resolve("fill.yaml"),
                    LONG.replace("name: long", "name: fill")
                            .replace("max_epochs: 400", "max_epochs: 5000")
                            .replace("checkpoint_every: 25", "checkpoint_every: 0")
                            .replace("samples: 400", "samples: 40"));
            Result r = RunnerJarIT.run(dir, "fill.yaml", "--out", "small", "--quiet");
            assertEquals(3, r.exitCode(), String.join("\n", r.err()));
            assertEquals(1, r.err().size(), String.join("\n", r.err()));
            Path run = Path.of(r.out().get(r.out().size() - 1));
            assertTrue(
                    r.err()
                            .get(0)
                            .matches("run failed: .*small/fill/.*: no space left on device; what it recorded is in "
                                    + run),
                    r.err().get(0));
            try (Stream<Path> all = Files.walk(small)) {
                assertEquals(
                        List.of(),
                        all.filter(p -> p.getFileName().toString().endsWith(".tmp")
                                        || Files.isRegularFile(p)
                                                && !p.getFileName().toString().equals(".lock")
                                                && size(p) == 0)
                                .toList(),
                        "no temporary or empty file left");
            }
        } finally {
            umount(small);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean mount(Path at, String options) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) return false;
        try {
            return new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString())
                            .inheritIO()
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void umount(Path at) throws Exception {
        new ProcessBuilder("umount", at.toString()).inheritIO().start().waitFor();
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
        return to;
    }

    private static void flipByte(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void cut(Path file, int bytes) {
        try {
            byte[] all = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(all, all.length - bytes));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void keepLines(Path file, int lines) {
        try {
            Files.write(file, Files.readAllLines(file).subList(0, lines));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void replaceLine(Path file, int line) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            lines.set(line - 1, lines.get(line - 1).replaceFirst("\"train_loss\":[^,]*", "\"train_loss\":0.5"));
            Files.write(file, lines);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
