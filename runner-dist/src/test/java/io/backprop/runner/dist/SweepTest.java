package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.backprop.runner.spec.SweepPlan;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep plans, the local executor's tables and resumption, and the emitted Kubernetes Job. */
class SweepTest {
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
            """;

    private static Path study(Path dir, String sweep) throws Exception {
        return Files.writeString(dir.resolve("study.yaml"), STUDY + sweep);
    }

    @Test
    void gridTrialsArePointsTimesRepeatsInAFixedOrder(@TempDir Path dir) throws Exception {
        var plan = SweepPlan.read(
                study(
                        dir,
                        "  grid:\n    training.l2: [0, 1e-3]\n    model.layers[0].units: [4, 8, 16]\n  repeats: 2\n"),
                "study.yaml");
        assertEquals(12, plan.size());
        assertEquals(List.of("training.l2", "model.layers[0].units"), plan.parameters());
        var t = plan.trial(7);
        assertEquals(3, t.point());
        assertEquals(1, t.repeat());
        assertEquals(11, t.seed());
        assertEquals(Map.of("training.l2", "1e-3", "model.layers[0].units", "4"), t.values());
        assertEquals(List.of("training.l2=1e-3", "model.layers[0].units=4", "seed=11"), t.overrides());
    }

    @Test
    void randomTrialsArePureFunctionsOfTheFileAndTheIndex(@TempDir Path dir) throws Exception {
        String sweep =
                "  random:\n    trials: 5\n    params:\n      training.optimizer.learning_rate: {log_uniform: [0.001, 1]}\n"
                        + "      model.layers[0].units: {int: [2, 32]}\n      model.initializer: {choice: [he-normal, xavier-uniform]}\n";
        var a = SweepPlan.read(study(dir, sweep), "study.yaml");
        var b = SweepPlan.read(study(dir, sweep.replace("trials: 5", "trials: 9")), "study.yaml");
        for (int i = 0; i < 5; i++) assertEquals(a.trial(i).values(), b.trial(i).values());
        assertNotEquals(a.trial(0).values(), a.trial(1).values());
        double rate = Double.parseDouble(a.trial(3).values().get("training.optimizer.learning_rate"));
        assertTrue(rate >= 0.001 && rate <= 1, Double.toString(rate));
    }

    @Test
    void theWaysToRunASweepAreOneAtATime(@TempDir Path dir) throws Exception {
        Path file = study(dir, "  grid: {training.l2: [0, 1]}\n");
        String out = dir.resolve("runs").toString();
        Cli both = Cli.run("sweep", file.toString(), "--out", out, "--trial", "0", "--emit", "slurm");
        assertEquals(2, both.exitCode());
        assertEquals(
                List.of("--trial --emit: choose one: --parallel N runs every trial here, --trial I one, --emit a job"
                        + " (with --parallel), --collect only gathers the tables"),
                both.errLines());
        assertEquals(
                2,
                Cli.run("sweep", file.toString(), "--out", out, "--collect", "--parallel", "2")
                        .exitCode());
        assertFalse(Files.exists(dir.resolve("runs")), "nothing made");
    }

    @Test
    void anOutThatIsAFileIsBadInputBeforeAnything(@TempDir Path dir) throws Exception {
        Path file = study(dir, "  grid: {training.l2: [0, 1]}\n");
        Path notDirectory = Files.writeString(dir.resolve("afile"), "");
        for (String[] mode :
                List.of(new String[0], new String[] {"--collect"}, new String[] {"--emit", "slurm"}, new String[] {
                    "--trial", "0"
                })) {
            List<String> args =
                    new java.util.ArrayList<>(List.of("sweep", file.toString(), "--out", notDirectory.toString()));
            args.addAll(List.of(mode));
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertEquals(2, cli.exitCode(), cli.err());
            assertEquals(
                    List.of("--out: " + notDirectory
                            + " is not a directory; name a directory for the runs (it is made if missing)"),
                    cli.errLines(),
                    String.join(" ", mode));
            assertEquals("", cli.out(), "nothing started");
        }
    }

    @Test
    void invalidSweepPathsFailLikeAnyOtherKey(@TempDir Path dir) throws Exception {
        Path file = study(dir, "  grid: {training.l3: [0, 1]}\n");
        Cli cli = Cli.run("sweep", file.toString(), "--out", dir.resolve("runs").toString());
        assertEquals(2, cli.exitCode());
        // At the sweep block's line, not as a --set the user never wrote.
        assertEquals(
                List.of(file
                        + ":10:10: training.l3: unknown key 'l3'; did you mean 'l2'? (known: batch_size, checkpoint_every, clip_norm, l2, "
                        + "max_epochs, optimizer, precision, schedule, shuffle, stopping, threads)"),
                cli.errLines());
        Cli bad = Cli.run(
                "sweep",
                study(dir, "  grid: {training.l2: [0]}\n  objective: {minimize: validation.los}\n")
                        .toString());
        assertEquals(
                List.of(file
                        + ":11:25: sweep.objective.minimize: expected a summary metric such as validation.loss, test.accuracy,"
                        + " epochs or training_seconds, got 'validation.los'"),
                bad.errLines());
    }

    @Test
    void aSweepWritesItsTablesAndARerunSkipsFinishedTrials(@TempDir Path dir) throws Exception {
        Path file = study(
                dir, "  grid: {training.l2: [0, 0.01, 0.1]}\n  repeats: 2\n  objective: {minimize: validation.loss}\n");
        Cli first =
                Cli.run("sweep", file.toString(), "--out", dir.resolve("runs").toString(), "--parallel", "2");
        assertEquals(0, first.exitCode(), first.err());
        Path sweep = Path.of(first.outLines().get(first.outLines().size() - 1));
        var csv = Files.readAllLines(sweep.resolve("sweep.csv"));
        assertEquals(7, csv.size());
        assertEquals(
                "trial,point,repeat,seed,training.l2,status,epochs,kept_epoch,train_loss,train_metric,validation_loss,"
                        + "validation_metric,test_loss,test_metric,objective",
                csv.get(0));
        String html = Files.readString(sweep.resolve("sweep.html"));
        assertTrue(html.contains("<b>Best: point "), html);
        var data = Pages.data(html);
        assertEquals(3, data.path("points").size());
        data.path("points")
                .forEach(p ->
                        assertEquals(2, p.path("repeats").size(), "each point's repeats, for its mean curve and band"));
        assertEquals(
                "linear",
                data.path("parameters").get(0).path("scale").asText(),
                "0, 0.01 and 0.1 span no more than a decade past 0");

        // The terminal gets the ranked table too: aligned columns, best first.
        List<String> out = first.outLines();
        int header = out.indexOf(out.stream()
                .filter(l -> l.startsWith("rank  point  training.l2"))
                .findFirst()
                .orElseThrow());
        List<String> table = out.subList(header, header + 4);
        assertTrue(
                table.get(0).matches("rank  point  training\\.l2  validation\\.loss \\(min\\) +sd +min +max +repeats"),
                table.get(0));
        List<Double> means = new java.util.ArrayList<>();
        for (String row : table.subList(1, 4)) {
            assertEquals(table.get(0).length(), row.length(), "aligned: " + table);
            means.add(Double.parseDouble(row.substring(
                            table.get(0).indexOf("training.l2") + "training.l2".length(),
                            table.get(0).indexOf("(min)") + 5)
                    .strip()));
        }
        assertEquals(means.stream().sorted().toList(), means, "best first: " + table);
        assertTrue(table.get(1).startsWith("   1  "), table.get(1));

        Path trial = sweep.resolve("trial-0003");
        String model = Files.readString(trial.resolve("model.json"));
        Files.delete(trial.resolve("summary.json")); // as if the sweep was stopped in trial 3
        Cli again =
                Cli.run("sweep", file.toString(), "--out", dir.resolve("runs").toString(), "--parallel", "1");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(
                5,
                again.outLines().stream()
                        .filter(l -> l.contains(" finished before: "))
                        .count(),
                again.out());
        assertTrue(again.out().contains("trial 3 of 0-5 completed: training.l2=0.01, seed 11"), again.out());
        assertTrue(csv.get(1 + 3).startsWith("3,"), "sweep.csv numbers its trials as --trial and the directories do");
        assertEquals(model, Files.readString(trial.resolve("model.json")), "a trial rerun reaches the same model");
        Cli one = Cli.run("sweep", file.toString(), "--out", dir.resolve("runs").toString(), "--trial", "6");
        assertEquals(List.of("--trial: expected a trial from 0 to 5, got 6"), one.errLines());
    }

    @Test
    void theKubernetesJobFitsTheJobSchema(@TempDir Path dir) throws Exception {
        Path file = study(dir, "  grid: {training.l2: [0, 0.01, 0.1]}\n  repeats: 4\n");
        Cli cli = Cli.run(
                "sweep",
                file.toString(),
                "--emit",
                "k8s",
                "--out",
                dir.resolve("runs").toString(),
                "--parallel",
                "3");
        assertEquals(0, cli.exitCode(), cli.err());
        Job job = new ObjectMapper(new YAMLFactory())
                .readValue(Path.of(cli.outLines().get(0)).toFile(), Job.class);
        assertNoUnknownFields(job, "Job");
        assertEquals("batch/v1", job.getApiVersion());
        assertEquals("Indexed", job.getSpec().getCompletionMode());
        assertEquals(12, job.getSpec().getCompletions());
        assertEquals(3, job.getSpec().getParallelism());
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("java", "-jar", "/work/runner.jar"), container.getCommand());
        assertEquals(
                List.of(
                        "sweep",
                        "/work/study.yaml",
                        "--trial",
                        "$(JOB_COMPLETION_INDEX)",
                        "--threads",
                        "1",
                        "--out",
                        "/work/runs"),
                container.getArgs());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
    }

    /** Every field of the manifest is one the Job schema knows: the model keeps unknown ones aside. */
    private static void assertNoUnknownFields(Object o, String path) throws Exception {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8")) return;
        Method extra = o.getClass().getMethod("getAdditionalProperties");
        assertEquals(Map.of(), extra.invoke(o), path + " has fields the schema does not know");
        for (Method m : o.getClass().getMethods()) {
            if (!m.getName().startsWith("get")
                    || m.getParameterCount() > 0
                    || m.getName().equals("getAdditionalProperties")) continue;
            Object v = m.invoke(o);
            if (v instanceof Collection<?> c) {
                for (Object item : c) assertNoUnknownFields(item, path + "." + m.getName());
            } else {
                assertNoUnknownFields(v, path + "." + m.getName());
            }
        }
    }
}
