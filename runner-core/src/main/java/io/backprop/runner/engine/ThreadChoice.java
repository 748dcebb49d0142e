package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Workers;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Whether the training steps use every thread or the calling thread alone, decided by timing both in the run itself.
 * A second core pays for large products; for middling ones it depends on the machine, and under a hypervisor on where
 * its cores lie from one minute to the next: W2 (784-128-10, batch 32) on two vCPUs ran at 55k or 120k examples/s
 * depending on the hour, against 107k on one, and a compiler thread or another guest taking a core makes the second
 * thread a straggler. So a trial runs both ways in alternating windows of a few batches and keeps the faster, and
 * trials repeat through the run. A batch of {@link #ALWAYS_SPLIT} multiply-adds or more runs on every thread without
 * trials where there are no more threads than cores: its products are long enough that a second core pays, and a
 * worker late to start leaves its part to the caller (Workers), so a trial's batches alone would only be lost. With
 * more threads than cores a worker may lose its core in the middle of its part, so such batches are timed too. The
 * results are the same bits either way; only the time differs. It times the batches itself, on the clock it is given,
 * so that tests can make either way the faster.
 */
final class ThreadChoice {
    /** Batches per window; the first of each is not timed, as it pays for the switch. */
    static final int WINDOW = 4;
    /** Pairs of windows after which a trial may end: when one way is clearly faster, or at the most. */
    static final int MIN_PAIRS = 2;

    static final int MAX_PAIRS = 6;
    /** How much faster (in median batch time) one way must be to end a trial before MAX_PAIRS. */
    static final double CLEAR = 0.15;
    /**
     * Training time between trials: at least this, and at least {@link #SETTLE_TRIALS} times the last trial's, so that
     * trials cost a few percent at most. After a close call, an eighth of that: a worker thread that has just started
     * may share the caller's core until the scheduler moves it, which makes both ways look alike.
     */
    static final long SETTLE_NANOS = 250_000_000L;

    static final int SETTLE_TRIALS = 32;
    /** Batches before the first trial, while the JIT compiles the loop. */
    static final int WARM_UP = 8;
    /**
     * The multiply-adds of a batch's forward pass from which every batch runs on every thread: 2^25 (33.6 million),
     * ten times W2's (784-128-10, batch 32), whose products are the middling kind; W3 (784-512-512-10, batch 128) has
     * 85.6 million, and one of its batches on one thread took about 1.7 times as long as on two.
     */
    static final long ALWAYS_SPLIT = 1L << 25;

    private final Workers workers;
    private final LongSupplier clock;
    private final boolean choosing;
    /** Per way (0: all threads, 1: alone), the timed batches of the trial in progress. */
    private final long[][] times = new long[2][MAX_PAIRS * (WINDOW - 1)];

    private final int[] timed = new int[2];
    private final long[] sorted = new long[MAX_PAIRS * (WINDOW - 1)];
    private boolean trial;
    private int batchInTrial;
    private long settled;
    private long trialNanos;
    private long settleFor = SETTLE_NANOS;
    private boolean alone;
    private long batches;
    private long parallelBatches;
    private long batchStart;

    /**
     * For batches of {@code batchWork} multiply-adds in the forward pass (the dense layers' {@code rows x fanIn x
     * units}) on a machine of {@code cores} cores; {@code clock} gives monotonic nanoseconds, as {@link
     * System#nanoTime} does.
     */
    ThreadChoice(Workers workers, long batchWork, int cores, LongSupplier clock) {
        this.workers = workers;
        this.clock = clock;
        this.choosing = workers.size() > 1 && (batchWork < ALWAYS_SPLIT || workers.size() > cores);
    }

    /** Sets the way the next batch runs, and starts timing it. */
    void beforeBatch() {
        if (choosing) {
            if (trial) alone = (batchInTrial / WINDOW) % 2 == 1;
            workers.runAlone(alone);
        }
        batchStart = clock.getAsLong();
    }

    /** Ends the timing of the batch just run; returns how long it took, in nanoseconds. */
    long afterBatch() {
        long nanos = clock.getAsLong() - batchStart;
        record(nanos);
        return nanos;
    }

    private void record(long nanos) {
        batches++;
        if (!choosing) return;
        if (!alone) parallelBatches++;
        if (!trial) {
            settled += nanos;
            if (batches == WARM_UP || batches > WARM_UP && settled >= settleFor) startTrial();
            return;
        }
        trialNanos += nanos;
        int way = alone ? 1 : 0;
        if (batchInTrial % WINDOW != 0) times[way][timed[way]++] = nanos;
        batchInTrial++;
        if (batchInTrial % (2 * WINDOW) != 0) return;
        int pairs = batchInTrial / (2 * WINDOW);
        double parallel = median(0);
        double single = median(1);
        boolean clear = parallel < (1 - CLEAR) * single || single < (1 - CLEAR) * parallel;
        if (pairs >= MAX_PAIRS || pairs >= MIN_PAIRS && clear) {
            trial = false;
            alone = single < parallel;
            settled = 0;
            settleFor = Math.max(SETTLE_NANOS, SETTLE_TRIALS * trialNanos) / (clear ? 1 : 8);
        }
    }

    /** Whether the batch about to run (after {@link #beforeBatch}) runs on the caller alone. */
    boolean alone() {
        return alone;
    }

    /** The share of batches that ran on every thread; 1 with one thread. */
    double parallelShare() {
        return choosing && batches > 0 ? (double) parallelBatches / batches : 1;
    }

    private void startTrial() {
        trial = true;
        batchInTrial = 0;
        trialNanos = 0;
        timed[0] = timed[1] = 0;
    }

    private double median(int way) {
        int n = timed[way];
        System.arraycopy(times[way], 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
