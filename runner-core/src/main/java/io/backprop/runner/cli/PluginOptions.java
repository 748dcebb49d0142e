package io.backprop.runner.cli;

import io.backprop.runner.registry.Registry;
import io.backprop.runner.spec.Experiment.PluginLocation;
import io.backprop.runner.spec.Schema;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where plugins come from besides the runner itself: --plugins, RUNNER_PLUGIN_PATH, and the experiment's list. */
final class PluginOptions {
    static final String ENVIRONMENT = "RUNNER_PLUGIN_PATH";

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "A directory of plugins (each jar a plugin, each subdirectory of jars a plugin); repeatable.")
    List<Path> directories = new ArrayList<>();

    /** The built-ins, then RUNNER_PLUGIN_PATH, then --plugins, then {@code experimentPlugins}; warnings to {@code err}. */
    Registry registry(List<PluginLocation> experimentPlugins, PrintStream err) {
        Registry registry = Registry.builtIn().withPlugins(locations(experimentPlugins));
        registry.warnings().forEach(w -> err.println("warning: " + w));
        return registry;
    }

    /**
     * What the parameters of plugins are called, for messages about a file before its own plugins are loaded: the
     * built-ins and the plugins RUNNER_PLUGIN_PATH and --plugins name, loaded when first asked, without warnings.
     */
    Schema.PluginParameters parameterNames() {
        return new Schema.PluginParameters() {
            private Registry registry;

            @Override
            public java.util.Collection<String> of(String kind, String name) {
                if (registry == null) {
                    try {
                        registry = Registry.builtIn().withPlugins(locations(List.of()));
                    } catch (SpecException e) {
                        registry = Registry.builtIn(); // the broken location is reported when the run loads its plugins
                    }
                }
                return registry.parameterNames(kind, name);
            }
        };
    }

    private List<PluginLocation> locations(List<PluginLocation> experimentPlugins) {
        List<PluginLocation> locations = new ArrayList<>();
        String path = System.getenv(ENVIRONMENT);
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) locations.add(new PluginLocation(Path.of(entry), Where.of(ENVIRONMENT)));
            }
        }
        directories.forEach(d -> locations.add(new PluginLocation(d, Where.of("--plugins"))));
        locations.addAll(experimentPlugins);
        return locations;
    }
}
