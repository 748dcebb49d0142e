package io.backprop.runner.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a data source may use.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @param directory the experiment file's directory; relative paths resolve against it
 * @param seed      a seed for sources that generate or sample data, derived from the experiment's seed
 * @param classes   for classification, the classes already known (the training set's, a saved model's), in output
 *                  order: a source that can should encode its labels over these and reject a label not among them,
 *                  giving its position; empty when the source finds the classes itself. The runner maps what a source
 *                  returns onto the known classes by name in any case.
 * @since 0.1
 */
public record DataContext(Path directory, long seed, List<String> classes) {
    public DataContext {
        Objects.requireNonNull(directory, "directory is null");
        classes = List.copyOf(classes);
    }

    /** A context in which the classes are not known yet. */
    public DataContext(Path directory, long seed) {
        this(directory, seed, List.of());
    }
}
