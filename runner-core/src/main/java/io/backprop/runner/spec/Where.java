package io.backprop.runner.spec;

import java.util.Objects;

/**
 * Where a value came from: the file as the user named it, a 1-based line and column (0 when unknown), and the
 * value's path in the experiment ({@code model.layers[1].activation}; empty for the whole file).
 */
public record Where(String source, int line, int column, String path) {
    public Where {
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(path, "path is null");
    }

    /** A place with no line, such as a command-line flag or a file as a whole. */
    public static Where of(String source) {
        return new Where(source, 0, 0, "");
    }

    public Where at(String path) {
        return new Where(source, line, column, path);
    }

    public Problem problem(String message) {
        return new Problem(this, message);
    }

    /** {@code xor.yaml:9:19: model.layers[1].activation}, leaving out what is unknown (a column of 0, say). */
    public String format() {
        var s = new StringBuilder(source);
        if (line > 0) s.append(':').append(line);
        if (line > 0 && column > 0) s.append(':').append(column);
        if (!path.isEmpty()) s.append(": ").append(path);
        return s.toString();
    }
}
