package io.backprop.runner.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a training run's time went: per epoch, the calling thread's wall time in each {@link Phase}. A {@link
 * Trainer} given one ({@link Trainer#profile}) fills it as it trains. An epoch's phases add up to its wall time, from
 * the end of the epoch before (the first: from its first batch) to the end of its checkpoint.
 */
public final class Profile {
    /** The parts of an epoch, in the order a table shows them. */
    public enum Phase {
        /** The forward pass, dropout masks included. */
        FORWARD("forward"),
        /** The backward pass: its products and element-wise steps, less any update run inside it. */
        BACKWARD("backward"),
        /** The optimizer's step: after backward, and with a fused update the part of it run inside backward. */
        UPDATE("update"),
        /** The batch gather: copying a batch's examples into the network's buffers. */
        DATA_COPY("data copy"),
        /** The measurement after the epoch: every split's loss and score, the per-layer metrics. */
        EVALUATION("evaluation"),
        /** The rest: shuffling, the listeners, the schedule, the stopping rules and checkpoints, the loop itself. */
        OTHER("other");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** How a table heads it: {@code data copy}. */
        public String label() {
            return label;
        }

        /** How JSON names it: {@code data_copy}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int PHASES = Phase.values().length;

    private final List<Times> epochs = new ArrayList<>();
    private final long[] total = new long[PHASES];
    private boolean fusedUpdate;

    /** The wall time of each phase over one epoch, or over the whole run. */
    public static final class Times {
        private final int epoch;
        private final long[] nanos;

        private Times(int epoch, long[] nanos) {
            this.epoch = epoch;
            this.nanos = nanos;
        }

        /** The epoch's number; 0 for the whole run. */
        public int epoch() {
            return epoch;
        }

        /** Nanoseconds in {@code phase}. */
        public long nanos(Phase phase) {
            return nanos[phase.ordinal()];
        }

        /** Nanoseconds in all phases: the wall time. */
        public long nanos() {
            long sum = 0;
            for (long n : nanos) sum += n;
            return sum;
        }

        /** {@code phase}'s share of the wall time, 0 to 1; 0 when no time passed. */
        public double share(Phase phase) {
            long all = nanos();
            return all == 0 ? 0 : (double) nanos(phase) / all;
        }
    }

    /** Every profiled epoch, in order. */
    public List<Times> epochs() {
        return List.copyOf(epochs);
    }

    /** The phases over every profiled epoch. */
    public Times total() {
        return new Times(0, total.clone());
    }

    /** Whether the optimizer stepped weights inside the backward pass ({@link FusedUpdate}). */
    public boolean fusedUpdate() {
        return fusedUpdate;
    }

    void fusedUpdate(boolean fused) {
        fusedUpdate = fused;
    }

    /** Adds epoch {@code epoch}'s nanoseconds per phase, by {@link Phase#ordinal}; copies them. */
    void add(int epoch, long[] nanos) {
        if (nanos.length != PHASES) throw new IllegalArgumentException(Arrays.toString(nanos));
        epochs.add(new Times(epoch, nanos.clone()));
        for (int p = 0; p < PHASES; p++) total[p] += nanos[p];
    }
}
