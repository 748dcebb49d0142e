package io.backprop.runner.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkersTest {
    @Test
    void everyPartOfEveryCallRunsExactlyOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (var workers = new Workers(threads)) {
                int calls = 20_000;
                var runs = new AtomicIntegerArray(calls * threads);
                for (int c = 0; c < calls; c++) {
                    int base = c * threads;
                    workers.run((part, parts) -> {
                        assertEquals(workers.size(), parts);
                        runs.incrementAndGet(base + part);
                    });
                    // The call has returned: all of its parts are done, none is still to come.
                    for (int p = 0; p < threads; p++) assertEquals(1, runs.get(base + p), "call " + c + ", part " + p);
                }
            }
        }
    }

    @Test
    void aSlowPartDelaysOnlyItsCall() {
        try (var workers = new Workers(2)) {
            var runs = new AtomicIntegerArray(2);
            workers.run((part, parts) -> {
                if (part == 1) sleep(50);
                runs.incrementAndGet(part);
            });
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
            var next = new AtomicIntegerArray(2);
            workers.run((part, parts) -> next.incrementAndGet(part));
            assertEquals(1, next.get(0));
            assertEquals(1, next.get(1));
        }
    }

    @Test
    void anExceptionInAWorkersPartReachesTheCallerAndTheWorkersGoOn() {
        try (var workers = new Workers(2)) {
            assertTimeoutPreemptively(
                    Duration.ofSeconds(10),
                    () -> {
                        Thread caller = Thread.currentThread();
                        var workerStarted = new CountDownLatch(1);
                        var e = assertThrows(
                                IllegalStateException.class,
                                () -> workers.run((part, parts) -> {
                                    if (part == 0) {
                                        // The caller holds its own part until a worker has taken part 1, so part 1
                                        // throws on the worker.
                                        await(workerStarted);
                                        return;
                                    }
                                    workerStarted.countDown();
                                    if (Thread.currentThread() != caller)
                                        throw new IllegalStateException("part " + part + " failed on a worker");
                                }));
                        assertEquals("part 1 failed on a worker", e.getMessage());
                        var runs = new AtomicIntegerArray(2);
                        for (int c = 0; c < 100; c++) workers.run((part, parts) -> runs.incrementAndGet(part));
                        assertEquals(100, runs.get(0), "calls after the failure run every part");
                        assertEquals(100, runs.get(1));
                    },
                    "a part that throws on a worker must not leave the caller waiting");
        }
    }

    @Test
    void anExceptionInTheCallersPartIsThrownOnceTheOtherPartsHaveFinished() {
        try (var workers = new Workers(2)) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                var otherFinished = new AtomicBoolean();
                var e = assertThrows(
                        ArithmeticException.class,
                        () -> workers.run((part, parts) -> {
                            if (part == 0) throw new ArithmeticException("the caller's part failed");
                            sleep(50);
                            otherFinished.set(true);
                        }));
                assertEquals("the caller's part failed", e.getMessage());
                assertTrue(otherFinished.get(), "run returned while another part was still running");
                assertThrows(
                        StackOverflowError.class,
                        () -> workers.run((part, parts) -> {
                            if (part == 1) throw new StackOverflowError();
                        }),
                        "errors too");
                var runs = new AtomicIntegerArray(2);
                workers.run((part, parts) -> runs.incrementAndGet(part));
                assertEquals(1, runs.get(0));
                assertEquals(1, runs.get(1));
            });
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS), "no worker took part 1");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.Set<Thread> liveWorkerThreads() {
        var live = new java.util.HashSet<Thread>();
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (t.getName().startsWith("runner-worker-") && t.isAlive()) live.add(t);
        return live;
    }

    @Test
    void closedWorkersStopAndLeaveEveryPartToTheCaller() throws InterruptedException {
        Thread caller = Thread.currentThread();
        var before = liveWorkerThreads();
        var workers = new Workers(3);
        workers.run((part, parts) -> {});
        var mine = liveWorkerThreads();
        mine.removeAll(before);
        assertEquals(2, mine.size(), "two workers beside the caller");
        workers.close();
        for (Thread t : mine) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still running after close");
        }
        var runs = new AtomicIntegerArray(3);
        workers.run((part, parts) -> {
            assertEquals(Thread.currentThread(), caller);
            runs.incrementAndGet(part);
        });
        for (int p = 0; p < 3; p++) assertEquals(1, runs.get(p), "after close the caller runs part " + p);
        assertThrows(IllegalArgumentException.class, () -> new Workers(0));
    }

    @Test
    void workersRunWithTheContextClassLoaderTheyAreGiven() throws Exception {
        try (var loader = new java.net.URLClassLoader(
                        new java.net.URL[0], getClass().getClassLoader());
                var workers = new Workers(2, loader)) {
            var seen = new ClassLoader[2];
            var workerRan = new CountDownLatch(1);
            assertTimeoutPreemptively(
                    Duration.ofSeconds(10),
                    () -> workers.run((part, parts) -> {
                        seen[part] = Thread.currentThread().getContextClassLoader();
                        if (part == 1) workerRan.countDown();
                        else await(workerRan); // the caller holds on to part 0, so part 1 is the worker's
                    }));
            assertEquals(loader, seen[1], "the worker's context loader");
        }
    }

    @Test
    void aTeamOfNoThreadsSplitsEachCallAndRunsEveryPartOnTheCaller() {
        Thread caller = Thread.currentThread();
        var before = liveWorkerThreads();
        var workers = Workers.callerOnly(3);
        assertEquals(3, workers.size());
        for (int call = 1; call <= 2; call++) {
            var runs = new AtomicIntegerArray(3);
            workers.run((part, parts) -> {
                assertEquals(3, parts);
                assertEquals(caller, Thread.currentThread());
                runs.incrementAndGet(part);
            });
            for (int p = 0; p < 3; p++) assertEquals(1, runs.get(p), "call " + call + ", part " + p);
        }
        assertEquals(before, liveWorkerThreads(), "no thread started");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void slicesCoverTheLengthInWholeUnits() {
        for (int parts = 1; parts <= 5; parts++) {
            for (int length : new int[] {0, 1, 7, 16, 100, 784}) {
                assertEquals(0, Workers.slice(length, 4, 0, parts));
                assertEquals(length, Workers.slice(length, 4, parts, parts));
                for (int p = 1; p < parts; p++) {
                    int at = Workers.slice(length, 4, p, parts);
                    assertTrue(at % 4 == 0 || at == length, "a cut inside a unit: " + at);
                    assertTrue(at >= Workers.slice(length, 4, p - 1, parts), "slices go forward");
                }
            }
        }
    }
}
