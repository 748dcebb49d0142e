package io.backprop.runner.spec;

import java.util.List;
import java.util.stream.Collectors;

/** The user's input (YAML, data, flags, plugin parameters) is wrong; carries every problem found. */
public class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<Problem> problems;

    public SpecException(List<Problem> problems) {
        super(problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) throw new IllegalArgumentException("a SpecException needs at least one problem");
        this.problems = List.copyOf(problems);
    }

    public SpecException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }
}
