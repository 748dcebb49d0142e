package io.backprop.runner.cli;

import io.backprop.runner.engine.Setup;
import io.backprop.runner.spec.Bases;
import io.backprop.runner.spec.Plural;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.SweepPlan;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check experiment files (schema, plugins, parameters, data) without training.")
final class ValidateCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Experiment files.")
    List<String> files;

    @Mixin
    ExperimentOptions experiment = new ExperimentOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    ValidateCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws java.io.IOException {
        var problems = new Problems();
        for (String file : files) {
            try {
                Setup setup = experiment.load(file, stderr);
                String sweep = "";
                if (experiment.configs.isEmpty() && SweepPlan.hasSweep(Path.of(file), file)) {
                    var plan = SweepPlan.read(Path.of(file), file);
                    checkPoints(plan);
                    sweep = ", a sweep of " + Plural.of(plan.size(), "trial");
                }
                stdout.println(file + ": ok (" + Plural.of(setup.train().rows(), "training example") + ", "
                        + Plural.of(setup.experiment().model().layers().size(), "layer") + sweep + ")");
            } catch (SpecException e) {
                // A file meant only to be extended may lack keys: that is said, not failed.
                var by = Bases.extendedBy(Path.of(file));
                if (by.isEmpty() || !Bases.onlyMissing(e) || !experiment.configs.isEmpty()) {
                    problems.addAll(e);
                    continue;
                }
                stdout.println(file + ": ok as a base of " + String.join(", ", by.stream().map(p -> p.getFileName().toString()).toList())
                        + "; alone it lacks " + String.join(", ", e.problems().stream().map(p -> p.where().path()).toList()));
            }
        }
        problems.throwIfAny();
        return Main.OK;
    }

    /** Every point's plugins and parameters, each mistake said once, at the sweep block's line. */
    private void checkPoints(SweepPlan plan) {
        var found = new Problems();
        var reported = new java.util.HashSet<String>();
        for (var point : plan.pointExperiments()) {
            try {
                Setup.of(point, experiment.plugins.registry(point.plugins(), stderr));
            } catch (SpecException e) {
                e.problems().stream().filter(p -> reported.add(p.format())).forEach(p -> found.add(p.where(), p.message()));
            }
        }
        found.throwIfAny();
    }
}
