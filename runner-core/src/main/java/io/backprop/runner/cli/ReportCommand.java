package io.backprop.runner.cli;

import io.backprop.runner.run.Report;
import io.backprop.runner.run.RunDirectory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html for a run, or one page overlaying several runs' learning curves.")
final class ReportCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories.")
    List<Path> runs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "The page to write (default: RUN_DIR/report.html for one run, compare.html for several).")
    Path output;

    private final PrintStream stdout;

    ReportCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws Exception {
        runs = runs.stream().map(RunDirectory::resolve).toList();
        Path file = output != null ? output : runs.size() == 1 ? runs.get(0).resolve("report.html") : Path.of("compare.html");
        Report.compare(runs, file);
        stdout.println(file);
        return Main.OK;
    }
}
