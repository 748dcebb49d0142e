package io.backprop.runner.plugin;

import java.util.List;

/**
 * What every provider has, whatever its kind. Providers are found by {@link java.util.ServiceLoader} through
 * the kind's own interface ({@link ActivationProvider}, ...), and need a public no-arg constructor.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @param <T> the component this provider builds
 * @since 0.1
 */
public interface PluginProvider<T> {
    /** The name experiments use: kebab-case ({@code [a-z][a-z0-9-]*}), unique within the kind, never renamed. */
    String name();

    /** One line for {@code plugins}. */
    String description();

    /** The parameters this provider takes, in the order to document them; never null. */
    default List<ParamSpec> parameters() {
        return List.of();
    }

    /**
     * Builds the component. {@code params} holds every declared parameter, checked for type and range, defaults
     * filled in. A {@link PluginException} says the values do not fit together; its message reaches the user.
     *
     * <p>The runner may call this more than once with the same {@code params} (a component per thread, per replica
     * for the gradient check, per sweep trial, after a resume), from any thread, with this plugin's class loader as
     * the thread's context class loader. Each call returns a component that works on its own: components that keep
     * state (an optimizer's moments, a stopping rule's best epoch) must not share it; a stateless one may be shared.
     */
    T create(Params params);
}
