package io.backprop.runner.engine.kernel;

/**
 * What a weight-gradient product runs on result rows it has just computed, a block at a time, on the thread that
 * computed them (see {@link Products#weightGradient(double[], double[], double[], double, double[], int, int, int,
 * RowTask)}).
 */
@FunctionalInterface
public interface RowTask {
    /** Rows {@code [from, to)} of the result are final. */
    void rows(int from, int to);
}
