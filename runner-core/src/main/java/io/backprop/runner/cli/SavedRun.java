package io.backprop.runner.cli;

import io.backprop.runner.engine.Setup;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.run.SavedModel;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A run directory read back: its experiment (config.yaml), with its data split as it was, and its model.json. */
record SavedRun(Setup setup, SavedModel model, Registry registry) {
    static SavedRun read(Path directory, PluginOptions plugins, PrintStream err) {
        Path config = directory.resolve("config.yaml");
        Path model = directory.resolve("model.json");
        if (!Files.isRegularFile(config) || !Files.isRegularFile(model)) {
            throw new SpecException(Where.of(directory.toString()).problem("not a run directory: it needs config.yaml and model.json"));
        }
        var experiment = ExperimentReader.read(config, config.toString(), List.of());
        Registry registry = plugins.registry(experiment.plugins(), err);
        return new SavedRun(Setup.of(experiment, registry), SavedModel.read(model, model.toString(), registry), registry);
    }
}
