package io.backprop.runner.registry;

import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.SpecException;
import java.util.Objects;

/**
 * A plugin reference matched to its provider, with checked parameters; {@link #create} builds the component.
 *
 * @param origin  "built-in", or the jar (or plugin directory) the provider came from
 * @param version the jar's Implementation-Version; null for built-ins and jars that declare none
 * @param loader  the provider's class loader, made the thread's context loader while plugin code runs
 */
public record Resolved<T>(
        PluginProvider<T> provider, Params params, PluginRef ref, String origin, String version, ClassLoader loader) {
    public Resolved {
        Objects.requireNonNull(provider, "provider is null");
        Objects.requireNonNull(params, "params is null");
        Objects.requireNonNull(ref, "ref is null");
        Objects.requireNonNull(origin, "origin is null");
        Objects.requireNonNull(loader, "loader is null");
    }

    /** Builds the component; whatever the plugin throws becomes a problem at the reference's place. */
    public T create() {
        return call(() -> {
            try {
                return Objects.requireNonNull(provider.create(params), "create returned null");
            } catch (PluginException e) {
                throw new SpecException(ref.where().problem(ref.kind() + " '" + ref.name() + "': " + e.getMessage()));
            } catch (RuntimeException | LinkageError e) {
                if (e instanceof SpecException s) throw s;
                throw new SpecException(ref.where()
                        .problem(ref.kind() + " '" + ref.name() + "' (" + origin + ") failed to start: " + e));
            }
        });
    }

    /** Plugin code to run, returning a value or throwing {@code X}. */
    @FunctionalInterface
    public interface Action<R, X extends Exception> {
        R run() throws X;
    }

    /** Runs plugin code with the plugin's class loader as the thread's context loader. */
    public <R, X extends Exception> R call(Action<R, X> action) throws X {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.run();
        } finally {
            thread.setContextClassLoader(saved);
        }
    }
}
