package io.backprop.runner.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads for splitting one kernel call into parts: the calling thread runs part 0, each worker one
 * more, and the call returns when all are done. Nothing is allocated per call, and which thread runs a part never
 * changes what the part computes.
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

    private final Thread[] threads;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Task task;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;

    /** {@code threads} in all, the caller included; 1 makes every call run on the caller alone. */
    public Workers(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads < 1: " + threads);
        this.threads = new Thread[threads - 1];
        for (int t = 0; t < this.threads.length; t++) {
            int part = t + 1;
            this.threads[t] = new Thread(() -> work(part), "runner-worker-" + part);
            this.threads[t].setDaemon(true);
            this.threads[t].start();
        }
    }

    public int size() {
        return threads.length + 1;
    }

    /**
     * Where part {@code part} of {@code parts} begins when {@code length} items are split in runs of whole
     * {@code unit}s; part {@code parts} gives the end. Products and parameter updates split alike, so each thread
     * updates the rows of a weight gradient it computed.
     */
    public static int slice(int length, int unit, int part, int parts) {
        int units = (length + unit - 1) / unit;
        return Math.min(length, (int) ((long) units * part / parts) * unit);
    }

    /** Runs {@code task} split into {@link #size()} parts and waits for all of them. Not reentrant. */
    public void run(Task task) {
        int parts = size();
        if (parts == 1) {
            task.run(0, 1);
            return;
        }
        this.task = task;
        caller = Thread.currentThread();
        remaining.set(parts - 1);
        generation++;
        for (Thread t : threads) LockSupport.unpark(t);
        task.run(0, parts);
        long since = System.nanoTime();
        while (remaining.get() > 0) {
            if (System.nanoTime() - since > SPIN_NANOS) LockSupport.park(this);
        }
    }

    private void work(int part) {
        int seen = 0;
        while (true) {
            long since = System.nanoTime();
            while (generation == seen && !closed) {
                if (System.nanoTime() - since > SPIN_NANOS) LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            task.run(part, size());
            if (remaining.decrementAndGet() == 0) LockSupport.unpark(caller);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) LockSupport.unpark(t);
    }
}
