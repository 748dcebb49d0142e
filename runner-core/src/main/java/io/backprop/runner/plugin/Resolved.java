package io.backprop.runner.plugin;

import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.SpecException;
import java.util.Objects;

/**
 * A plugin reference matched to its provider, with checked parameters; {@link #create} builds the component.
 *
 * @param origin "built-in", or the jar the provider came from
 */
public record Resolved<T>(PluginProvider<T> provider, Params params, PluginRef ref, String origin) {
    public Resolved {
        Objects.requireNonNull(provider, "provider is null");
        Objects.requireNonNull(params, "params is null");
        Objects.requireNonNull(ref, "ref is null");
        Objects.requireNonNull(origin, "origin is null");
    }

    /** Builds the component; whatever the plugin throws becomes a problem at the reference's place. */
    public T create() {
        try {
            return Objects.requireNonNull(provider.create(params), "create returned null");
        } catch (PluginException e) {
            throw new SpecException(ref.where().problem(ref.kind() + " '" + ref.name() + "': " + e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            throw new SpecException(ref.where().problem(ref.kind() + " '" + ref.name() + "' (" + origin
                    + ") failed to start: " + e));
        }
    }
}
