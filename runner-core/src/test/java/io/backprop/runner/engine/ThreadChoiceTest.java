package io.backprop.runner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.kernel.Workers;
import org.junit.jupiter.api.Test;

class ThreadChoiceTest {
    private static final long MS = 1_000_000;
    /** The clock the choices time batches on: each test's batches move it on by as long as they are meant to take. */
    private final long[] now = {42};

    private ThreadChoice choiceFor(Workers workers) {
        return new ThreadChoice(workers, ThreadChoice.ALWAYS_SPLIT - 1, 2, () -> now[0]);
    }

    /** One batch that takes {@code nanos} on the choice's clock; returns what the choice timed. */
    private long batch(ThreadChoice choice, long nanos) {
        choice.beforeBatch();
        now[0] += nanos;
        return choice.afterBatch();
    }

    /** Runs {@code batches} batches that take {@code parallel} ns on every thread and {@code alone} ns alone; returns how many ran alone. */
    private int run(ThreadChoice choice, int batches, long parallel, long alone) {
        int ranAlone = 0;
        for (int b = 0; b < batches; b++) {
            choice.beforeBatch();
            if (choice.alone()) ranAlone++;
            now[0] += choice.alone() ? alone : parallel;
            choice.afterBatch();
        }
        return ranAlone;
    }

    @Test
    void batchesAreTimedOnTheGivenClock() {
        try (var workers = new Workers(2)) {
            var choice = choiceFor(workers);
            assertEquals(3 * MS, batch(choice, 3 * MS));
            assertEquals(7, batch(choice, 7));
        }
    }

    @Test
    void oneThreadNeverChooses() {
        try (var workers = new Workers(1)) {
            var choice = choiceFor(workers);
            assertEquals(0, run(choice, 1000, MS, MS / 2));
            assertEquals(1.0, choice.parallelShare());
        }
    }

    @Test
    void aLargeBatchRunsOnEveryThreadWithoutTrials() {
        try (var workers = new Workers(2)) {
            var choice = new ThreadChoice(workers, ThreadChoice.ALWAYS_SPLIT, 2, () -> now[0]);
            assertEquals(0, run(choice, 1000, 2 * MS, MS), "never alone, though alone would be faster");
            assertEquals(1.0, choice.parallelShare());
            Workers.Task task = (part, parts) -> assertEquals(2, parts, "the workers split every call");
            choice.beforeBatch();
            workers.run(task);
        }
    }

    @Test
    void aLargeBatchIsTimedWhereThreadsOutnumberTheCores() {
        try (var workers = new Workers(2)) {
            var choice = new ThreadChoice(workers, ThreadChoice.ALWAYS_SPLIT, 1, () -> now[0]);
            assertTrue(run(choice, 1000, 2 * MS, MS) > 500, "alone, the faster way, once a trial has found it");
        }
    }

    @Test
    void keepsEveryThreadWhereTheyAreFaster() {
        try (var workers = new Workers(2)) {
            var choice = choiceFor(workers);
            int warmUpAndTrial = ThreadChoice.WARM_UP + 2 * ThreadChoice.MIN_PAIRS * ThreadChoice.WINDOW;
            assertEquals(
                    ThreadChoice.MIN_PAIRS * ThreadChoice.WINDOW,
                    run(choice, warmUpAndTrial, MS, 2 * MS),
                    "a clear difference ends the trial after the fewest pairs");
            // The trial took 24 ms: the next waits 32 times that, longer than the 250 ms minimum.
            assertEquals(0, run(choice, 700, MS, 2 * MS), "settled on every thread for 768 ms");
            assertTrue(run(choice, 1000, MS, 2 * MS) > 0, "then a new trial");
        }
    }

    @Test
    void runsAloneWhereThatIsFaster() {
        try (var workers = new Workers(2)) {
            var choice = choiceFor(workers);
            run(choice, ThreadChoice.WARM_UP + 2 * ThreadChoice.MIN_PAIRS * ThreadChoice.WINDOW, 2 * MS, MS);
            assertTrue(choice.alone());
            assertEquals(700, run(choice, 700, 2 * MS, MS), "settled alone for 768 ms");
            assertTrue(choice.parallelShare() < 0.05, "share " + choice.parallelShare());
        }
    }

    @Test
    void aCloseCallTakesEveryPairThenTheFaster() {
        try (var workers = new Workers(2)) {
            var choice = choiceFor(workers);
            int trial = 2 * ThreadChoice.MAX_PAIRS * ThreadChoice.WINDOW;
            run(choice, ThreadChoice.WARM_UP + trial - 1, 100 * MS / 100, 95 * MS / 100);
            choice.beforeBatch();
            assertTrue(choice.alone(), "the last window of the trial runs alone");
            now[0] += 95 * MS / 100;
            choice.afterBatch();
            assertTrue(choice.alone(), "5% faster alone: not clear, but the faster when the trial ends");
            // The trial took 46.8 ms; a close call is tried again after an eighth of 32 times that, 187 ms.
            assertEquals(150, run(choice, 150, MS, 95 * MS / 100));
            assertTrue(run(choice, 100, MS, 95 * MS / 100) < 100, "tried again soon");
        }
    }

    @Test
    void theWorkersFollowTheChoice() throws Exception {
        try (var workers = new Workers(2)) {
            var choice = choiceFor(workers);
            int[] parts = new int[1];
            Workers.Task task = (part, n) -> parts[0] = n;
            run(choice, ThreadChoice.WARM_UP + ThreadChoice.WINDOW, MS, MS);
            choice.beforeBatch();
            assertTrue(choice.alone());
            workers.run(task);
            assertEquals(1, parts[0]);
            now[0] += MS;
            choice.afterBatch();
            run(choice, ThreadChoice.WINDOW - 1, MS, MS);
            choice.beforeBatch();
            assertFalse(choice.alone());
            workers.run(task);
            assertEquals(2, parts[0]);
        }
    }
}
