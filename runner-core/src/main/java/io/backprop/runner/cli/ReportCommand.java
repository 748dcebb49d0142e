package io.backprop.runner.cli;

import io.backprop.runner.run.Report;
import io.backprop.runner.run.RunDirectory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write report.html for a run, or one page overlaying several runs' learning curves.")
final class ReportCommand implements Callable<Integer>, Main.Streams {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories.")
    List<Path> runs;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "The page to write (default: RUN_DIR/report.html for one run; for several, "
                    + "compare-<yyyyMMdd-HHmmss>.html beside the first run, in its experiment's directory).")
    Path output;

    private final PrintStream stdout;

    ReportCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws Exception {
        if (output != null) checkOutput(output);
        // runs/xor/* names the newest run twice, once through latest: each run is drawn once.
        var distinct = new java.util.LinkedHashMap<Path, Path>();
        for (Path run : runs) {
            Path resolved = RunDirectory.resolve(run);
            distinct.putIfAbsent(resolved.toAbsolutePath().normalize(), resolved);
        }
        runs = List.copyOf(distinct.values());
        Path file = output != null ? output : runs.size() == 1 ? runs.get(0).resolve("report.html") : besideFirstRun();
        Report.compare(runs, file);
        stdout.println(file);
        return Main.OK;
    }

    /** -o names a file that can be made: not a directory, in a directory that is there; found before anything is read. */
    private static void checkOutput(Path output) {
        Path parent = output.toAbsolutePath().getParent();
        String problem = Files.isDirectory(output)
                ? output + " is a directory; name the HTML file to write"
                : parent != null && !Files.isDirectory(parent)
                        ? "no such directory: " + parent + "; name a file in a directory that is there"
                        : null;
        if (problem != null)
            throw new io.backprop.runner.spec.SpecException(
                    io.backprop.runner.spec.Where.of("-o").problem(problem));
    }

    /** A new compare page in the first run's parent directory: with the runs, never in the working directory. */
    private Path besideFirstRun() {
        Path first = runs.get(0).normalize();
        Path directory = first.getParent() != null
                ? first.getParent()
                : first.toAbsolutePath().normalize().getParent();
        if (directory == null) directory = first;
        String stamp = LocalDateTime.now().format(STAMP);
        Path file = directory.resolve("compare-" + stamp + ".html");
        for (int n = 2; Files.exists(file); n++) file = directory.resolve("compare-" + stamp + "-" + n + ".html");
        return file;
    }
}
