package io.backprop.runner.plugin;

/** Loads examples. */
public interface DataSource {
    /** Loads the whole data set; a {@link PluginException} says what is wrong with the user's data. */
    Dataset load(DataContext context);
}
