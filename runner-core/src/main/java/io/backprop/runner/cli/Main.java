package io.backprop.runner.cli;

import io.backprop.runner.run.IoFailure;
import io.backprop.runner.run.RunFailedException;
import io.backprop.runner.spec.Problem;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Suggestions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line. {@code runner.jar FILE.yaml} is short for {@code runner.jar run FILE.yaml}. Exit codes: 0 done,
 * 2 bad input (one line per problem, no stack trace), 3 the run failed or diverged, 1 an internal error.
 */
@Command(
        name = "java -jar runner.jar",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Trains feed-forward networks by backpropagation, as experiment files describe.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            GradcheckCommand.class,
            EvaluateCommand.class,
            PredictCommand.class,
            ExportCommand.class,
            ServeCommand.class,
            SweepCommand.class,
            BenchCommand.class,
            PluginsCommand.class,
            ReportCommand.class,
            RunsCommand.class
        })
public final class Main {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_INPUT = 2;
    public static final int RUN_FAILED = 3;

    public static void main(String[] args) {
        var out =
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        var err =
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err));
    }

    /** Runs the command line and returns the exit code; prints to {@code out} and {@code err} only. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        var cli = new CommandLine(new Main(), new Factory(out, err));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("runner: " + message(e, a) + " (see --help)");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof SpecException s) {
                for (Problem p : s.problems()) err.println(p.format());
                return BAD_INPUT;
            }
            if (e instanceof RunFailedException) {
                err.println(e.getMessage());
                return RUN_FAILED;
            }
            if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                // The system's refusal (a full disk, a file that vanished), not a bug: its path and cause.
                err.println("runner: "
                        + (e instanceof java.io.IOException io
                                ? IoFailure.describe(io)
                                : IoFailure.describe((java.io.UncheckedIOException) e)));
                return RUN_FAILED;
            }
            e.printStackTrace(err); // a bug: the trace is for us
            return INTERNAL_ERROR;
        });
        if (args.length == 0) {
            cli.usage(err);
            return BAD_INPUT;
        }
        String refusal = io.backprop.runner.engine.kernel.Products.kernelsRefusal();
        if (refusal != null) {
            err.println("runner: " + refusal);
            return BAD_INPUT;
        }
        return cli.execute(withDefaultCommand(cli, args));
    }

    /**
     * {@code FILE.yaml ...} means {@code run FILE.yaml ...}, and so do run's options before the file
     * ({@code --quiet FILE.yaml}); any other first word is left to be a command.
     */
    private static String[] withDefaultCommand(CommandLine cli, String[] args) {
        if (args.length == 0 || cli.getSubcommands().containsKey(args[0])) return args;
        boolean runOptionsFirst = isOption(args[0])
                && cli.getCommandSpec().findOption(optionName(args[0])) == null
                && fileBeforeAnyCommand(cli, args);
        if (!looksLikeFile(args[0]) && !runOptionsFirst) return args;
        List<String> list = new ArrayList<>(Arrays.asList(args));
        list.add(0, "run");
        return list.toArray(String[]::new);
    }

    /** Whether a word that looks like a file comes before any word that is a command; values of run's options are skipped. */
    private static boolean fileBeforeAnyCommand(CommandLine cli, String[] args) {
        var run = cli.getSubcommands().get("run").getCommandSpec();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (isOption(arg)) {
                var option = run.findOption(optionName(arg));
                if (option != null && option.longestName().equals("--config")) return true; // its value is a file
                if (option != null && option.arity().min() > 0 && !arg.contains("=")) i++;
            } else if (cli.getSubcommands().containsKey(arg)) {
                return false;
            } else if (looksLikeFile(arg)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOption(String arg) {
        return arg.startsWith("-") && arg.length() > 1;
    }

    /** {@code --seed} of {@code --seed=3}. */
    private static String optionName(String arg) {
        int eq = arg.indexOf('=');
        return eq < 0 ? arg : arg.substring(0, eq);
    }

    private static boolean looksLikeFile(String arg) {
        if (arg.startsWith("-")) return false;
        // No command has a '/' in it; a name whose .yaml twin exists is a file with its extension left off.
        if (arg.endsWith(".yaml") || arg.endsWith(".yml") || arg.contains("/") || arg.contains(java.io.File.separator))
            return true;
        try {
            return Files.isRegularFile(Path.of(arg))
                    || Files.isRegularFile(Path.of(arg + ".yaml"))
                    || Files.isRegularFile(Path.of(arg + ".yml"));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String message(CommandLine.ParameterException e, String[] args) {
        var cli = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && cli.getParent() == null
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            String typed = u.getUnmatched().get(0);
            return Suggestions.unknown("command", typed, cli.getSubcommands().keySet(), "commands")
                    + "; to run an experiment, name its .yaml file";
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException
                && e.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            Class<?> type = o.type();
            String what = type == Integer.class || type == int.class || type == Long.class || type == long.class
                    ? "an integer"
                    : type == Double.class || type == double.class ? "a number" : o.paramLabel();
            return o.longestName() + ": expected " + what + ", got '" + e.getValue() + "'";
        }
        int endOfOptions = Arrays.asList(args).indexOf("--");
        String option = e instanceof CommandLine.UnmatchedArgumentException u
                ? u.getUnmatched().stream().filter(Main::isOption).findFirst().orElse(null)
                : null;
        if (option != null
                && endOfOptions >= 0
                && Arrays.asList(args).subList(endOfOptions + 1, args.length).contains(option)) {
            return "unexpected argument '" + option + "': after '--' no word is an option; put the options before '--'";
        }
        if (option != null) {
            // The command's own near options, unless the name is an experiment key: then the --set that says it.
            String name = optionName(option);
            var options = Suggestions.closest(
                    name,
                    cli.getCommandSpec().optionsMap().keySet().stream()
                            .filter(o -> o.startsWith("--") == name.startsWith("--"))
                            .toList());
            var set = cli.getCommandSpec().findOption("--set") == null
                    ? List.<String>of()
                    : OptionHints.setFor(
                            name,
                            option.contains("=") ? option.substring(name.length() + 1) : valueAfter(option, args),
                            options.isEmpty());
            var hints = set.isEmpty() ? options : set;
            return "unknown option '" + name + "'"
                    + (hints.isEmpty() ? "" : "; did you mean " + String.join(" or ", hints) + "?");
        }
        String s = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getSuggestions().isEmpty()) {
            s += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        return s;
    }

    /** The word after {@code option} when it is a value: not an option, not an experiment file. */
    private static String valueAfter(String option, String[] args) {
        int i = Arrays.asList(args).indexOf(option);
        if (i < 0 || i + 1 >= args.length) return null;
        String next = args[i + 1];
        return isOption(next) || next.endsWith(".yaml") || next.endsWith(".yml") ? null : next;
    }

    /** Gives commands the streams to print to. */
    private record Factory(PrintStream out, PrintStream err) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (Streams.class.isAssignableFrom(type)) {
                return type.getDeclaredConstructor(PrintStream.class, PrintStream.class)
                        .newInstance(out, err);
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /** A command that prints; built by {@link Factory} with the streams. */
    interface Streams {}

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"backprop-runner " + (v == null ? "(development build)" : v)};
        }
    }
}
