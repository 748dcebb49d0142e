package io.backprop.runner.sweep;

import io.backprop.runner.spec.Printable;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.SweepPlan;
import io.backprop.runner.spec.Where;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Job descriptions for existing schedulers: each task runs one trial by its index, into a runs directory all tasks
 * share, and {@code sweep --collect} makes the tables once they are done. Every path and name in them is quoted for
 * what reads it (bash, sbatch's {@code #SBATCH} parser, YAML and Kubernetes), so none can run a command of its own.
 */
public final class Emit {
    private Emit() {}

    /**
     * An sbatch job array: {@code --array=0-(N-1)%P}, one trial per array task. A path with a line break or a
     * backslash is refused: sbatch reads {@code #SBATCH} lines one line at a time, and a backslash in
     * {@code --output} turns off its {@code %A_%a} patterns, so every task would write one log.
     */
    public static String slurm(SweepPlan plan, Path jar, Path file, Path runsRoot, int parallel, int cpus) {
        Path dir = SweepRunner.directory(runsRoot, plan);
        refuseInSlurm("the runner.jar", jar);
        refuseInSlurm("FILE", file);
        refuseInSlurm("--out", runsRoot);
        String run = String.join(
                " ",
                "exec java -jar",
                shell(jar),
                "sweep",
                shell(file),
                "--trial \"$SLURM_ARRAY_TASK_ID\" --threads",
                Integer.toString(cpus),
                "--out",
                shell(runsRoot));
        String collect =
                String.join(" ", "java -jar", shell(jar), "sweep", shell(file), "--collect --out", shell(runsRoot));
        return """
                #!/bin/bash
                # %d trials of %s (%s): one per array task, %d at a time. Submit with: sbatch %s
                # When all are done: %s
                #SBATCH --job-name=%s
                #SBATCH --array=0-%d%%%d
                #SBATCH --cpus-per-task=%d
                #SBATCH --output=%s
                %s
                """.formatted(
                        plan.size(),
                        plan.experiment(),
                        plan.directoryName(),
                        parallel,
                        shell(dir.resolve("sweep.sbatch")),
                        collect,
                        directive(plan.experiment() + "-" + plan.directoryName()),
                        plan.size() - 1,
                        parallel,
                        cpus,
                        directive(dir.toString().replace("%", "%%") + "/slurm-%A_%a.out"),
                        run);
    }

    /** {@code s} as one word for a POSIX shell: in single quotes, each {@code '} written as {@code '\''}. */
    static String shell(Object s) {
        return "'" + s.toString().replace("'", "'\\''") + "'";
    }

    /**
     * {@code s} as one argument of an {@code #SBATCH} line: sbatch splits at unquoted spaces, ends the line at an
     * unquoted {@code #}, and takes a backslash as escaping the next character even within quotes.
     */
    static String directive(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void refuseInSlurm(String what, Path path) {
        String s = path.toString();
        String problem =
                s.contains("\n") || s.contains("\r") ? "a line break" : s.contains("\\") ? "a backslash" : null;
        if (problem == null) return;
        throw new SpecException(Where.of("--emit slurm")
                .problem(what + " '" + Printable.oneLine(s) + "' holds " + problem
                        + ", which an sbatch script cannot carry (#SBATCH lines end at a line break; a backslash turns off --output's"
                        + " %A_%a); use a path without one"));
    }

    /**
     * A Kubernetes Indexed Job: {@code completions} N, {@code parallelism} P; Kubernetes gives each pod its index in
     * {@code JOB_COMPLETION_INDEX}. The runner, the experiment and the runs directory come from the volume {@code work}
     * (a PersistentVolumeClaim named {@code runner-work}), mounted at /work. The command is an argument list, no
     * shell; Kubernetes itself expands {@code $(NAME)} in it, so each {@code $} of a file name is written {@code $$}.
     */
    public static String kubernetes(SweepPlan plan, String image, String fileInVolume, int parallel, int cpus) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "trial");
        container.put("image", image);
        container.put("workingDir", "/work");
        container.put("command", List.of("java", "-jar", "/work/runner.jar"));
        container.put(
                "args",
                List.of(
                        "sweep",
                        "/work/" + fileInVolume.replace("$", "$$"),
                        "--trial",
                        "$(JOB_COMPLETION_INDEX)",
                        "--threads",
                        Integer.toString(cpus),
                        "--out",
                        "/work/runs"));
        container.put("resources", Map.of("requests", Map.of("cpu", Integer.toString(cpus))));
        container.put("volumeMounts", List.of(map("name", "work", "mountPath", "/work")));

        Map<String, Object> podSpec = new LinkedHashMap<>();
        podSpec.put("restartPolicy", "Never");
        podSpec.put("containers", List.of(container));
        podSpec.put(
                "volumes", List.of(map("name", "work", "persistentVolumeClaim", Map.of("claimName", "runner-work"))));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("completionMode", "Indexed");
        spec.put("completions", plan.size());
        spec.put("parallelism", parallel);
        spec.put("backoffLimit", plan.size());
        spec.put("template", Map.of("spec", podSpec));

        Map<String, Object> job = new LinkedHashMap<>();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        job.put("metadata", Map.of("name", jobName(plan)));
        job.put("spec", spec);

        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        return new Yaml(options).dump(job);
    }

    /** A DNS label, as Kubernetes wants a Job's name: lower case, digits and '-', at most 63 characters. */
    static String jobName(SweepPlan plan) {
        String suffix = "-" + plan.directoryName();
        String experiment = plan.experiment().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        experiment = experiment
                .substring(0, Math.min(experiment.length(), 63 - suffix.length()))
                .replaceAll("^-+|-+$", "");
        return (experiment.isEmpty() ? "sweep" : experiment) + suffix;
    }

    private static Map<String, Object> map(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
