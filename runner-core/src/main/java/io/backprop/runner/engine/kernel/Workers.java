package io.backprop.runner.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads for splitting one kernel call into parts. Thread t (the caller is 0) runs part t of every
 * call, so that the rows a thread writes in one call are in its own cache when the next call reads them; then it
 * claims any part still unclaimed, and the call returns when all are done. A worker that wakes late thus leaves its
 * part to the others instead of making them wait, and after {@link #close} the caller runs every part. Nothing is
 * allocated per call, and which thread runs a part never changes what the part computes. What a part throws, on
 * whichever thread, is thrown by {@link #run} once every part of the call has finished, and the workers go on. The
 * workers run with the context class loader they are given: the loader of the plugin code their parts call.
 */
public final class Workers implements AutoCloseable {
    /** One part of a call: {@code part} of {@code parts}. */
    public interface Task {
        void run(int part, int parts);
    }

    /**
     * How long a waiting thread spins before it parks: longer than the gaps between the parallel products of a
     * training loop, because waking a parked thread takes hundreds of microseconds in a VM (W2 on two threads parked
     * 448 times in 10 epochs with 0.5 ms, twice with 5 ms). The spin reads the clock, not {@link Thread#onSpinWait}:
     * under KVM a loop of PAUSE instructions makes the hypervisor take the core away.
     */
    private static final long SPIN_NANOS = 5_000_000;
    /**
     * After this long a waiting thread yields its core at each turn of the spin: the JIT's compiler threads, busy in
     * a run's first seconds, then get the core instead of a thread that has nothing to do.
     */
    private static final long YIELD_NANOS = 20_000;

    private final Thread[] threads;
    /** Parts per call: the workers and the caller, or as many parts as such a team with no threads at all. */
    private final int parts;
    /** The last call in which each part was claimed: part p is free in call c while it holds c - 1. */
    private final AtomicIntegerArray claims;

    private final AtomicInteger done = new AtomicInteger();
    /** The first throwable of the current call's parts, thrown by {@link #run} on the caller. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private volatile Task task;
    private volatile int call;
    private volatile boolean closed;
    private volatile Thread caller;
    private boolean alone;

    /** {@code threads} in all, the caller included; 1 makes every call run on the caller alone. */
    public Workers(int threads) {
        this(threads, Thread.currentThread().getContextClassLoader());
    }

    /** As {@link #Workers(int)}, the workers running with {@code contextLoader} as their context class loader. */
    public Workers(int threads, ClassLoader contextLoader) {
        this(threads, true, contextLoader);
    }

    private Workers(int parts, boolean start, ClassLoader contextLoader) {
        if (parts < 1) throw new IllegalArgumentException("threads < 1: " + parts);
        this.parts = parts;
        this.threads = new Thread[start ? parts - 1 : 0];
        claims = new AtomicIntegerArray(parts);
        for (int t = 0; t < this.threads.length; t++) {
            int own = t + 1;
            this.threads[t] = new Thread(() -> work(own), "runner-worker-" + own);
            this.threads[t].setDaemon(true);
            this.threads[t].setContextClassLoader(contextLoader);
            this.threads[t].start();
        }
    }

    /**
     * A team of no threads that still splits each call into {@code parts} parts, all run by the caller in turn, through
     * the same code as a team of {@code parts} threads. What a network keeps after training: its products then run the
     * code paths the JIT compiled during training (code for one thread alone would start out cold, and slow).
     */
    public static Workers callerOnly(int parts) {
        return new Workers(parts, false, null);
    }

    public int size() {
        return parts;
    }

    /**
     * Where part {@code part} of {@code parts} begins when {@code length} items are split in runs of whole
     * {@code unit}s; part {@code parts} gives the end. Products and parameter updates split alike, so a thread
     * usually updates the rows of a weight gradient it computed.
     */
    public static int slice(int length, int unit, int part, int parts) {
        int units = (length + unit - 1) / unit;
        return Math.min(length, (int) ((long) units * part / parts) * unit);
    }

    /**
     * With true, every call runs whole on the caller until this is set back (the workers wait); for timing the two
     * ways against each other. Only the caller may set it.
     */
    public void runAlone(boolean alone) {
        this.alone = alone;
    }

    /**
     * Runs {@code task} split into {@link #size()} parts (one while {@link #runAlone}) and waits for all of them; then
     * throws the first exception or error a part threw, if any (the others run to their end first, so none is still
     * writing when the caller goes on). Not reentrant.
     */
    public void run(Task task) {
        int parts = alone ? 1 : size();
        if (parts == 1) {
            task.run(0, 1);
            return;
        }
        this.task = task;
        caller = Thread.currentThread();
        done.set(0);
        int call = this.call + 1;
        this.call = call; // publishes the fields above to the workers
        for (Thread t : threads) LockSupport.unpark(t);
        runParts(0, call, task, parts);
        long since = System.nanoTime();
        while (done.get() < parts) {
            long waited = System.nanoTime() - since;
            if (waited > SPIN_NANOS) LockSupport.park(this);
            else if (waited > YIELD_NANOS) Thread.yield();
        }
        Throwable thrown = failure.getAndSet(null);
        if (thrown instanceof RuntimeException e) throw e;
        if (thrown instanceof Error e) throw e;
        if (thrown != null) throw new IllegalStateException(thrown);
    }

    /** Runs part {@code own} of call {@code call} if still free, then every other part still free. */
    private void runParts(int own, int call, Task task, int parts) {
        for (int k = 0; k < parts; k++) {
            int part = own + k < parts ? own + k : own + k - parts;
            if (!claims.compareAndSet(part, call - 1, call)) continue;
            try {
                task.run(part, parts);
            } catch (Throwable t) { // kept for the caller: a worker that died would leave the call waiting forever
                failure.compareAndSet(null, t);
            } finally {
                if (done.incrementAndGet() == parts) LockSupport.unpark(caller);
            }
        }
    }

    private void work(int own) {
        int seen = 0;
        while (true) {
            long since = System.nanoTime();
            while (call == seen && !closed) {
                long waited = System.nanoTime() - since;
                if (waited > SPIN_NANOS) LockSupport.park(this);
                else if (waited > YIELD_NANOS) Thread.yield();
            }
            if (closed) return;
            seen = call;
            runParts(own, seen, task, size()); // a worker runs only in calls split in size() parts
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) LockSupport.unpark(t);
    }
}
