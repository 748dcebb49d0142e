package io.backprop.runner.spec;

import java.util.Objects;

/** One mistake in the user's input, printed as one line: where it is, what is wrong, what would be right. */
public record Problem(Where where, String message) {
    public Problem {
        Objects.requireNonNull(where, "where is null");
        Objects.requireNonNull(message, "message is null");
    }

    /** The one line; a line break in a path or a value the user gave shows as {@code \n}, never as a second line. */
    public String format() {
        return Printable.oneLine(where.format() + ": " + message);
    }
}
