package io.backprop.runner.spec;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem first, so that the user sees them all at once. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(Where where, String message) {
        list.add(where.problem(message));
    }

    public void addAll(SpecException e) {
        list.addAll(e.problems());
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public void throwIfAny() {
        if (!list.isEmpty()) throw new SpecException(list);
    }
}
