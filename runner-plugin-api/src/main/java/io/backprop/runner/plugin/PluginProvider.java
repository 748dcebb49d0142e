package io.backprop.runner.plugin;

import java.util.List;

/**
 * What every provider has, whatever its kind. Providers are found by {@link java.util.ServiceLoader} through
 * the kind's own interface ({@link ActivationProvider}, ...), and need a public no-arg constructor.
 *
 * @param <T> the component this provider builds
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
     */
    T create(Params params);
}
