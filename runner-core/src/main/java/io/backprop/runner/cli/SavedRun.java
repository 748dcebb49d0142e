package io.backprop.runner.cli;

import io.backprop.runner.registry.Registry;
import io.backprop.runner.run.RunDirectory;
import io.backprop.runner.run.SavedModel;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.Experiment;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run directory read back: its model.json, with the plugins its config.yaml names, and, when asked for, its
 * experiment with the data split as it was. The splits are left as loaded: the model's own fitted preprocessing
 * ({@link SavedModel#prepare}) is what applies to them, not one fitted again.
 */
record SavedRun(Experiment experiment, Setup setup, SavedModel model, Registry registry) {
    /** The model and the experiment: its data loaded and split again from the seed and config. */
    static SavedRun read(Path directory, PluginOptions plugins, PrintStream err) {
        return read(directory, plugins, err, true);
    }

    /** The model alone; no data is loaded. */
    static SavedRun model(Path directory, PluginOptions plugins, PrintStream err) {
        return read(directory, plugins, err, false);
    }

    private static SavedRun read(Path given, PluginOptions plugins, PrintStream err, boolean withData) {
        Path directory = RunDirectory.resolve(given);
        Path config = directory.resolve("config.yaml");
        Path model = directory.resolve("model.json");
        if (Files.isRegularFile(config)
                && !Files.isRegularFile(model)
                && io.backprop.runner.run.RunLock.writer(directory).isPresent()) {
            throw new SpecException(Where.of(directory.toString())
                    .problem("the run is still going (pid "
                            + io.backprop.runner.run.RunLock.writer(directory).getAsLong()
                            + ") and has no model.json yet; use it when it ends"));
        }
        if (!Files.isRegularFile(config) || !Files.isRegularFile(model)) {
            throw new SpecException(
                    Where.of(directory.toString()).problem("not a run directory: it needs config.yaml and model.json"));
        }
        var experiment = ExperimentReader.read(config, config.toString(), List.of());
        Registry registry = plugins.registry(experiment.plugins(), err);
        return new SavedRun(
                experiment,
                withData ? Setup.unpreprocessed(experiment, registry) : null,
                SavedModel.read(model, model.toString(), registry),
                registry);
    }
}
