package io.backprop.runner.cli;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.plugin.Registry;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every plugin by kind: name, description, parameters and where it comes from.")
final class PluginsCommand implements Callable<Integer>, Main.Streams {
    private final PrintStream stdout;
    private final PrintStream stderr;

    PluginsCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() {
        Registry registry = Registry.builtIn();
        registry.warnings().forEach(w -> stderr.println("warning: " + w));
        for (PluginKind<?> kind : PluginKind.ALL) {
            stdout.println(kind.noun() + "s:");
            for (PluginProvider<?> p : registry.providers(kind)) {
                stdout.printf("  %-18s %s [%s]%n", p.name(), p.description(), registry.origin(kind, p.name()));
                for (ParamSpec s : p.parameters()) {
                    stdout.printf("      %-16s %s, %s; %s%n", s.name(), s.expected(),
                            s.required() ? "required" : "default " + s.defaultValue(), s.doc());
                }
            }
        }
        return Main.OK;
    }
}
