package io.backprop.runner.cli;

import io.backprop.runner.registry.Registry;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.Experiment;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.RunName;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How a command reads an experiment: overrides, the seed, and where plugins come from. */
final class ExperimentOptions {
    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Override a value, as a dotted path with [i] for items: --set training.l2=1e-4 --set model.layers[0].units=8")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "An experiment file to stack on top, as extends: would (repeatable; after FILE when one is named).")
    List<String> configs = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "The master seed (same as --set seed=N).")
    Long seed;

    /** What {@code --threads} gave, checked as it is parsed; null for the experiment's own. */
    Integer threads;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description =
                    "Threads for training (same as --set training.threads=N; default: all cores). Results do not change.")
    void threads(int threads) {
        if (threads < 1 || threads > ExperimentReader.MAX_THREADS)
            throw new ParameterException(
                    command.commandLine(),
                    "--threads must be from 1 to " + ExperimentReader.MAX_THREADS + ", not " + threads);
        this.threads = threads;
    }

    @Mixin
    PluginOptions plugins = new PluginOptions();

    private boolean noted;

    /** Reads, resolves and checks one experiment file; registry warnings and a note on its name go to {@code err}. */
    Setup load(String file, PrintStream err) {
        List<String> all = new ArrayList<>(overrides);
        if (seed != null) all.add("seed=" + seed);
        if (threads != null) all.add("training.threads=" + threads);
        List<String> sources = new ArrayList<>();
        if (file != null) sources.add(file);
        sources.addAll(configs);
        Experiment experiment = ExperimentReader.read(
                sources.stream().map(Path::of).toList(), sources, all, plugins.parameterNames(), System::getenv);
        String note = RunName.note(Path.of(sources.get(0)), sources.get(0), experiment.name());
        if (note != null && !noted) err.println(note);
        noted = true;
        Registry registry = plugins.registry(experiment.plugins(), err);
        return Setup.of(experiment, registry);
    }
}
