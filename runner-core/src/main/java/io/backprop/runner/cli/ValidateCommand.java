package io.backprop.runner.cli;

import io.backprop.runner.engine.Setup;
import io.backprop.runner.spec.Plural;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.SpecException;
import java.io.PrintStream;
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
    public Integer call() {
        var problems = new Problems();
        for (String file : files) {
            try {
                Setup setup = experiment.load(file, stderr);
                stdout.println(file + ": ok (" + Plural.of(setup.train().rows(), "training example") + ", "
                        + Plural.of(setup.experiment().model().layers().size(), "layer") + ")");
            } catch (SpecException e) {
                problems.addAll(e);
            }
        }
        problems.throwIfAny();
        return Main.OK;
    }
}
