package io.backprop.runner.engine;

import io.backprop.runner.engine.Profile.Phase;
import io.backprop.runner.engine.kernel.PlainStep;
import io.backprop.runner.engine.kernel.RowTask;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Times a training run's phases on the calling thread, into a {@link Profile}. The trainer calls {@link #lap} where
 * a phase ends: the time since the last lap goes to that phase, so an epoch's phases add up to its wall time, one
 * clock reading per phase. {@link #off} does nothing: each call returns on a final field, reads no clock and
 * allocates nothing, so an unprofiled run pays no more than that branch.
 */
final class PhaseClock {
    private static final PhaseClock OFF = new PhaseClock(null, null);

    private final boolean on;
    private final LongSupplier clock;
    private final Profile profile;
    /** The epoch's nanoseconds so far, by phase. */
    private final long[] nanos = new long[Phase.values().length];

    private long mark;
    /** Time counted already to a phase run inside the current one (a fused update inside backward), to take off it. */
    private long nested;

    private Thread caller;

    /** Times on {@code clock} (monotonic nanoseconds, as {@link System#nanoTime} gives) into {@code profile}. */
    PhaseClock(LongSupplier clock, Profile profile) {
        this.on = profile != null;
        this.clock = clock;
        this.profile = profile;
    }

    /** A clock that times nothing. */
    static PhaseClock off() {
        return OFF;
    }

    /** Starts the first epoch's time now, on the calling thread; {@code fusedUpdate}: see {@link Profile#fusedUpdate}. */
    void start(boolean fusedUpdate) {
        if (!on) return;
        profile.fusedUpdate(fusedUpdate);
        caller = Thread.currentThread();
        mark = clock.getAsLong();
    }

    /** Gives the time since the last lap to {@code phase}, less what a nested phase took of it. */
    void lap(Phase phase) {
        if (!on) return;
        long now = clock.getAsLong();
        nanos[phase.ordinal()] += now - mark - nested;
        nested = 0;
        mark = now;
    }

    /** Ends epoch {@code epoch}: the time since the last lap is other, and the epoch goes into the profile. */
    void endEpoch(int epoch) {
        if (!on) return;
        lap(Phase.OTHER);
        profile.add(epoch, nanos);
        Arrays.fill(nanos, 0);
    }

    /**
     * {@code tasks} (null for none; a null entry for none), each timed as {@code phase} where it runs on the calling
     * thread, that time taken off the phase it runs inside; {@code tasks} itself when off. Made once per run.
     */
    RowTask[] nested(RowTask[] tasks, Phase phase) {
        if (!on || tasks == null) return tasks;
        RowTask[] timed = new RowTask[tasks.length];
        for (int i = 0; i < tasks.length; i++) {
            RowTask task = tasks[i];
            if (task instanceof PlainStep plain) timed[i] = new TimedPlainStep(plain, phase);
            else if (task != null) timed[i] = (from, to) -> timeOnCaller(task, from, to, phase);
        }
        return timed;
    }

    /** A plain step timed as a task is, still one the products may take (their time there is the product's phase). */
    private final class TimedPlainStep implements PlainStep {
        private final PlainStep plain;
        private final RowTask stepped;
        private final Phase phase;

        TimedPlainStep(PlainStep plain, Phase phase) {
            this.plain = plain;
            this.stepped = plain::stepped;
            this.phase = phase;
        }

        @Override
        public void rows(int from, int to) {
            timeOnCaller(plain, from, to, phase);
        }

        @Override
        public double rate() {
            return plain.rate();
        }

        @Override
        public float[] floatWeights() {
            return plain.floatWeights();
        }

        @Override
        public double[] squares() {
            return plain.squares();
        }

        @Override
        public void stepped(int from, int to) {
            timeOnCaller(stepped, from, to, phase);
        }
    }

    private void timeOnCaller(RowTask task, int rowsFrom, int rowsTo, Phase phase) {
        if (Thread.currentThread() != caller) {
            task.rows(rowsFrom, rowsTo);
            return;
        }
        long from = clock.getAsLong();
        task.rows(rowsFrom, rowsTo);
        long took = clock.getAsLong() - from;
        nanos[phase.ordinal()] += took;
        nested += took;
    }
}
