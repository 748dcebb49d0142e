package io.backprop.runner.run;

import io.backprop.runner.registry.Resolved;
import io.backprop.runner.setup.Setup;
import java.util.ArrayList;
import java.util.List;

/** Says in one line why a run failed, naming the plugin whose code threw, where it was one. */
final class PluginFailure {
    private PluginFailure() {}

    /**
     * {@code kind 'name' (origin) threw Type: message} when a frame of {@code failure} (or of a cause), searched from
     * where it was thrown, is a plugin's; else the failure's message. On one line either way.
     */
    static String describe(Throwable failure, Setup setup) {
        List<Resolved<?>> plugins = plugins(setup);
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Resolved<?> plugin = thrower(t, plugins);
            if (plugin != null)
                return oneLine(
                        plugin.ref().kind() + " '" + plugin.ref().name() + "' (" + plugin.origin() + ") threw " + t);
        }
        return oneLine(failure.getMessage() != null ? failure.getMessage() : failure.toString());
    }

    /** Whether plugin code threw {@code error} itself: then it fails the run, where the runner's own would be a bug. */
    static boolean fromPlugin(Throwable error, Setup setup) {
        return thrower(error, plugins(setup)) != null;
    }

    /** The plugin of the frame nearest to where {@code t} was thrown that is a plugin's; null if none is. */
    private static Resolved<?> thrower(Throwable t, List<Resolved<?>> plugins) {
        for (StackTraceElement frame : t.getStackTrace()) {
            for (Resolved<?> plugin : plugins) {
                if (owns(plugin, frame.getClassName())) return plugin;
            }
        }
        return null;
    }

    private static List<Resolved<?>> plugins(Setup setup) {
        List<Resolved<?>> all = new ArrayList<>();
        all.add(setup.optimizer());
        all.addAll(setup.activations());
        all.add(setup.cost());
        all.add(setup.schedule());
        all.addAll(setup.stopping());
        all.addAll(setup.exporters());
        all.add(setup.initializer());
        all.add(setup.biasInitializer());
        all.addAll(setup.preprocessorPlugins());
        all.addAll(setup.dataSources());
        all.removeIf(r -> r == null);
        return all;
    }

    /**
     * Whether {@code className} is the plugin's: a class its jar's own loader defines or, for a built-in (loaded with
     * the runner), the provider {@code <Name><Kind>Provider}, its component {@code <Name><Kind>} or a class nested in either.
     */
    private static boolean owns(Resolved<?> plugin, String className) {
        if (plugin.loader() != PluginFailure.class.getClassLoader()) {
            try {
                return Class.forName(className, false, plugin.loader()).getClassLoader() == plugin.loader();
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
        String provider = plugin.provider().getClass().getName();
        String component = provider.endsWith("Provider")
                ? provider.substring(0, provider.length() - "Provider".length())
                : provider;
        for (String owner : new String[] {provider, component}) {
            if (className.equals(owner) || className.startsWith(owner + "$")) return true;
        }
        return false;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
