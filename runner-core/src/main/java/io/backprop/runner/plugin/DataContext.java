package io.backprop.runner.plugin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a data source may use.
 *
 * @param directory the experiment file's directory; relative paths resolve against it
 * @param seed      a seed for sources that generate or sample data, derived from the experiment's seed
 */
public record DataContext(Path directory, long seed) {
    public DataContext {
        Objects.requireNonNull(directory, "directory is null");
    }
}
