package io.backprop.runner.plugin;

/**
 * Loads examples.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface DataSource {
    /** Loads the whole data set; a {@link PluginException} says what is wrong with the user's data. */
    Dataset load(DataContext context);
}
