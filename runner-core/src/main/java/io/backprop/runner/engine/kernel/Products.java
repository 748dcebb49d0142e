package io.backprop.runner.engine.kernel;

/**
 * The three products of backprop, split by rows of the result across {@link Workers} when they are large enough to
 * pay for it. Every element of a result is computed by one thread in one fixed order, so the results are
 * bit-identical whatever the number of threads. One instance per network: it holds the operands of the call in
 * progress, so that a call allocates nothing.
 */
public final class Products implements Workers.Task {
    /**
     * Multiply-adds below which a product stays on one thread, where handing half to another thread costs more than
     * it saves. Whole runs on this kind of machine: the W2 benchmark's products (784 x 128 by a batch of 32, 3.2M)
     * train 1.3 times as fast on two threads; XOR's (a few dozen) stay on one. The crossover between is left to
     * kernel benchmarks.
     */
    static final long PARALLEL_THRESHOLD = 1 << 16;

    private enum Kind { TRANS_B, PLAIN, TRANS_A }

    private final Workers workers;
    private Kind kind;
    private double[] a;
    private double[] b;
    private double[] c;
    private int m;
    private int k;
    private int n;

    public Products(Workers workers) {
        this.workers = workers;
    }

    /** {@code c[m x n] = a[m x k] * b[n x k]^T}, as {@link Dense#multTransB}. */
    public void multTransB(double[] a, double[] b, double[] c, int m, int k, int n) {
        call(Kind.TRANS_B, a, b, c, m, k, n);
    }

    /** {@code c[m x n] = a[m x k] * b[k x n]}, as {@link Dense#mult}. */
    public void mult(double[] a, double[] b, double[] c, int m, int k, int n) {
        call(Kind.PLAIN, a, b, c, m, k, n);
    }

    /** {@code c[m x n] = a[k x m]^T * b[k x n]}, as {@link Dense#multTransA}. */
    public void multTransA(double[] a, double[] b, double[] c, int m, int k, int n) {
        call(Kind.TRANS_A, a, b, c, m, k, n);
    }

    private void call(Kind kind, double[] a, double[] b, double[] c, int m, int k, int n) {
        if (workers.size() == 1 || m < 2 || (long) m * k * n < PARALLEL_THRESHOLD) {
            switch (kind) {
                case TRANS_B -> Dense.multTransB(a, b, c, m, k, n);
                case PLAIN -> Dense.mult(a, b, c, m, k, n);
                case TRANS_A -> Dense.multTransA(a, b, c, m, k, n);
            }
            return;
        }
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.c = c;
        this.m = m;
        this.k = k;
        this.n = n;
        workers.run(this);
        this.a = this.b = this.c = null;
    }

    @Override
    public void run(int part, int parts) {
        int from = (int) ((long) m * part / parts);
        int to = (int) ((long) m * (part + 1) / parts);
        switch (kind) {
            case TRANS_B -> Dense.multTransBRows(a, b, c, k, n, from, to);
            case PLAIN -> Dense.multRows(a, b, c, k, n, from, to);
            case TRANS_A -> Dense.multTransARows(a, b, c, m, k, n, from, to);
        }
    }
}
