package io.backprop.runner.cli;

import io.backprop.runner.engine.Setup;
import io.backprop.runner.run.ExperimentRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Train the experiment and record the run; the last line printed names the run directory.")
final class RunCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "FILE", description = "The experiment file (.yaml).")
    String file;

    @Option(names = "--out", paramLabel = "DIR", description = "The runs root (default: runs in the working directory).")
    Path out = Path.of("runs");

    @Mixin
    ExperimentOptions experiment = new ExperimentOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    RunCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws Exception {
        Setup setup = experiment.load(file, stderr);
        ExperimentRun.execute(setup, out, stdout, stderr);
        return Main.OK;
    }
}
