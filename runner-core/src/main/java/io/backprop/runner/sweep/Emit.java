package io.backprop.runner.sweep;

import io.backprop.runner.spec.SweepPlan;
import java.nio.file.Path;

/**
 * Job descriptions for existing schedulers: each task runs one trial by its index, into a runs directory all tasks
 * share, and {@code sweep --collect} makes the tables once they are done.
 */
public final class Emit {
    private Emit() {}

    /** An sbatch job array: {@code --array=0-(N-1)%P}, one trial per array task. */
    public static String slurm(SweepPlan plan, Path jar, Path file, Path runsRoot, int parallel, int cpus) {
        Path dir = SweepRunner.directory(runsRoot, plan);
        return """
                #!/bin/bash
                # %d trials of %s (%s): one per array task, %d at a time. Submit with: sbatch %s
                # When all are done: java -jar %s sweep %s --collect --out %s
                #SBATCH --job-name=%s
                #SBATCH --array=0-%d%%%d
                #SBATCH --cpus-per-task=%d
                #SBATCH --output=%s/slurm-%%A_%%a.out
                exec java -jar %s sweep %s --trial "$SLURM_ARRAY_TASK_ID" --threads %d --out %s
                """.formatted(plan.size(), plan.experiment(), plan.directoryName(), parallel, dir.resolve("sweep.sbatch"),
                jar, file, runsRoot, plan.experiment() + "-" + plan.directoryName(), plan.size() - 1, parallel, cpus, dir,
                jar, file, cpus, runsRoot);
    }

    /**
     * A Kubernetes Indexed Job: {@code completions} N, {@code parallelism} P; Kubernetes gives each pod its index in
     * {@code JOB_COMPLETION_INDEX}. The runner, the experiment and the runs directory come from the volume {@code work}
     * (a PersistentVolumeClaim named {@code runner-work}), mounted at /work.
     */
    public static String kubernetes(SweepPlan plan, String image, String fileInVolume, int parallel, int cpus) {
        String name = (plan.experiment() + "-" + plan.directoryName()).toLowerCase().replaceAll("[^a-z0-9-]", "-");
        return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: %s
                spec:
                  completionMode: Indexed
                  completions: %d
                  parallelism: %d
                  backoffLimit: %d
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: trial
                          image: %s
                          workingDir: /work
                          command: ["sh", "-c", "exec java -jar /work/runner.jar sweep /work/%s --trial $JOB_COMPLETION_INDEX --threads %d --out /work/runs"]
                          resources:
                            requests:
                              cpu: "%d"
                          volumeMounts:
                            - name: work
                              mountPath: /work
                      volumes:
                        - name: work
                          persistentVolumeClaim:
                            claimName: runner-work
                """.formatted(name, plan.size(), parallel, plan.size(), image, fileInVolume, cpus, cpus);
    }
}
