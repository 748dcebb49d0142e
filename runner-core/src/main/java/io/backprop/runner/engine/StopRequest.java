package io.backprop.runner.engine;

/**
 * A request from outside training (a signal) to stop at the end of the epoch it is in, as a stopping rule would:
 * the epoch's metrics, the kept weights and a checkpoint are all of one whole epoch, so the run can go on exactly.
 */
public final class StopRequest {
    private volatile String reason;

    /** Asks training to stop after this epoch; {@code reason} goes into the outcome. The first request wins. */
    public synchronized void request(String reason) {
        if (this.reason == null) this.reason = reason;
    }

    /** Whether a stop was asked for. */
    public boolean requested() {
        return reason != null;
    }

    /** Why, or null when no stop was asked for. */
    public String reason() {
        return reason;
    }
}
