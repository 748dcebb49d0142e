package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backprop.runner.dist.RunnerJarIT.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep as a real Slurm job array: Debian's slurm-wlm started here as a one-node cluster on loopback (munged,
 * slurmctld, slurmd), the emitted sbatch script submitted, and every trial compared with the local executor's. In the
 * services profile ({@code mvn verify -Pservices}).
 */
@Tag("services")
class SlurmIT {
    private static final String STUDY = """
            name: slurm-study
            seed: 3
            data: {train: {name: moons, samples: 120, noise: 0.2}, validation: {split: 0.25}}
            model:
              layers: [{units: 16, activation: tanh}, {units: 2, activation: softmax}]
              initializer: xavier-normal
            cost: cross-entropy
            training: {optimizer: {name: sgd, learning_rate: 0.1}, batch_size: 16, max_epochs: 40}
            sweep:
              grid:
                training.l2: [0, 0.01]
                training.batch_size: [4, 16]
              repeats: 3
              objective: {minimize: validation.loss}
            """;

    private static Process start(Path dir, String name, Map<String, String> env, String... command) throws IOException {
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String run(Map<String, String> env, String... command) throws Exception {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
        return output.strip();
    }

    @Test
    void aSweepRunAsASlurmJobArrayGivesTheLocalExecutorsResults(@TempDir Path dir) throws Exception {
        for (String tool : List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch")) {
            if (!Files.isExecutable(Path.of(tool)))
                fail("the Slurm test needs Debian's slurm-wlm and munge: apt-get install slurm-wlm munge");
        }
        Path study = Files.writeString(dir.resolve("study.yaml"), STUDY);
        Result local = RunnerJarIT.run(dir, "sweep", study.toString(), "--out", "local", "--parallel", "2");
        assertEquals(0, local.exitCode(), String.join("\n", local.err()));
        assertTrue(
                local.out().stream().anyMatch(l -> l.startsWith("12 of 12 trials finished; ")),
                local.out().toString());
        Path localSweep = dir.resolve(local.out().get(local.out().size() - 1));

        Result emitted = RunnerJarIT.run(
                dir,
                "sweep",
                study.toString(),
                "--emit",
                "slurm",
                "--out",
                dir.resolve("cluster").toString(),
                "--parallel",
                "4");
        assertEquals(0, emitted.exitCode(), String.join("\n", emitted.err()));
        Path script = Path.of(emitted.out().get(0));
        assertTrue(Files.readString(script).contains("#SBATCH --array=0-11%4"), Files.readString(script));

        Path conf = slurmConf(dir);
        Map<String, String> env = Map.of("SLURM_CONF", conf.toString());
        List<Process> daemons = new ArrayList<>();
        try {
            // A live munged answers munge -n; otherwise (none, or a stale socket) one is started.
            run(
                    Map.of(),
                    "sh",
                    "-c",
                    "munge -n >/dev/null 2>&1 || { mkdir -p /run/munge && chown munge:munge /run/munge; "
                            + "/usr/sbin/munged --force; }");
            daemons.add(start(dir, "slurmctld", env, "/usr/sbin/slurmctld", "-D", "-f", conf.toString()));
            daemons.add(start(dir, "slurmd", env, "/usr/sbin/slurmd", "-D", "-N", "localhost", "-f", conf.toString()));
            waitFor(env, dir);
            String job = run(env, "/usr/bin/sbatch", "--parsable", script.toString());
            for (int i = 0; i < 900; i++) {
                if (run(env, "/usr/bin/squeue", "-h", "-j", job.split(";")[0]).isEmpty()) break;
                Thread.sleep(200);
            }
            assertTrue(
                    run(env, "/usr/bin/squeue", "-h", "-j", job.split(";")[0]).isEmpty(),
                    "the job array did not finish");
        } finally {
            for (Process p : daemons) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        Result collected = RunnerJarIT.run(
                dir,
                "sweep",
                study.toString(),
                "--collect",
                "--out",
                dir.resolve("cluster").toString());
        assertEquals(0, collected.exitCode(), String.join("\n", collected.err()));
        assertEquals(
                "12 of 12 trials finished; " + script.getParent().resolve("sweep.csv") + ", "
                        + script.getParent().resolve("sweep.html"),
                collected.out().get(0));
        var json = new ObjectMapper();
        for (int i = 0; i < 12; i++) {
            String trial = String.format("trial-%04d", i);
            assertEquals(
                    Files.readAllLines(localSweep.resolve(trial).resolve("metrics.jsonl")).stream()
                            .map(l -> withoutSeconds(json, l))
                            .toList(),
                    Files.readAllLines(script.getParent().resolve(trial).resolve("metrics.jsonl")).stream()
                            .map(l -> withoutSeconds(json, l))
                            .toList(),
                    trial);
            assertEquals(
                    Files.readString(localSweep.resolve(trial).resolve("model.json")),
                    Files.readString(script.getParent().resolve(trial).resolve("model.json")),
                    trial);
        }
        assertEquals(csvWithoutTimes(localSweep), csvWithoutTimes(script.getParent()));
    }

    private static String withoutSeconds(ObjectMapper json, String line) {
        try {
            JsonNode node = json.readTree(line);
            ((ObjectNode) node).remove(List.of("seconds", "examples_per_second"));
            return node.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> csvWithoutTimes(Path sweep) throws IOException {
        return Files.readAllLines(sweep.resolve("sweep.csv"));
    }

    private static void waitFor(Map<String, String> env, Path dir) throws Exception {
        for (int i = 0; i < 150; i++) {
            try {
                if (run(env, "/usr/bin/sinfo", "-h", "-o", "%T").matches("(?s).*idle.*")) return;
            } catch (AssertionError e) {
                // the controller is not up yet
            }
            Thread.sleep(200);
        }
        fail("the Slurm node did not come up: " + Files.readString(dir.resolve("slurmd.log"))
                + Files.readString(dir.resolve("slurmctld.log")));
    }

    private static Path slurmConf(Path dir) throws IOException {
        Path state = Files.createDirectories(dir.resolve("slurm/state"));
        Path spool = Files.createDirectories(dir.resolve("slurm/spool"));
        int controller = MetricsIT.freePort();
        int node = MetricsIT.freePort();
        return Files.writeString(dir.resolve("slurm/slurm.conf"), """
                ClusterName=runnertest
                SlurmctldHost=localhost
                SlurmctldPort=%d
                SlurmdPort=%d
                AuthType=auth/munge
                StateSaveLocation=%s
                SlurmdSpoolDir=%s
                SlurmctldPidFile=%s/slurmctld.pid
                SlurmdPidFile=%s/slurmd.pid
                ProctrackType=proctrack/linuxproc
                TaskPlugin=task/none
                SchedulerType=sched/backfill
                SelectType=select/cons_tres
                SelectTypeParameters=CR_Core
                ReturnToService=2
                SlurmUser=root
                MpiDefault=none
                JobAcctGatherType=jobacct_gather/none
                NodeName=localhost CPUs=%d RealMemory=2000 State=UNKNOWN
                PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
                """.formatted(
                        controller,
                        node,
                        state,
                        spool,
                        dir.resolve("slurm"),
                        dir.resolve("slurm"),
                        Runtime.getRuntime().availableProcessors()));
    }
}
