package io.backprop.runner.spec;

import java.util.Objects;

/** One mistake in the user's input, printed as one line: where it is, what is wrong, what would be right. */
public record Problem(Where where, String message) {
    public Problem {
        Objects.requireNonNull(where, "where is null");
        Objects.requireNonNull(message, "message is null");
    }

    public String format() {
        return where.format() + ": " + message;
    }
}
