package io.backprop.runner.engine.kernel;

/**
 * Dense kernels over flat row-major {@code double[]} matrices ({@code a[i * cols + j]}). The caller owns every
 * output: kernels write into the arrays passed, never allocate, and check shapes and aliasing first. Arrays may be
 * longer than the matrix they hold; only the leading {@code rows * cols} entries are read or written.
 */
public final class Dense {
    private Dense() {}

    /**
     * {@code c[m x n] = a[m x k] * b[n x k]^T}: the forward product {@code Z = A W^T}, no transpose made; separate
     * multiplies and adds, as the textbook loop.
     */
    public static void multTransB(double[] a, double[] b, double[] c, int m, int k, int n) {
        check(a, m, k, "a", b, n, k, "b", c, m, n);
        multTransBRows(a, b, c, k, n, 0, m, false);
    }

    /** Rows {@code [from, to)} of {@link #multTransB}, each element summed over p in ascending order; shapes already checked. */
    static void multTransBRows(double[] a, double[] b, double[] c, int k, int n, int from, int to, boolean fused) {
        RowKernel.product(a, k, 1, b, 1, k, c, n, from, to, 0, k, fused);
    }

    /** {@code c[m x n] = a[m x k] * b[k x n]}: the backward product {@code dA = Delta W}. */
    public static void mult(double[] a, double[] b, double[] c, int m, int k, int n) {
        check(a, m, k, "a", b, k, n, "b", c, m, n);
        multRows(a, b, c, k, n, 0, m, 0, k, false);
    }

    /** Rows {@code [from, to)} of {@link #mult}, summed over p in {@code [p0, p1)} only, ascending; shapes already checked. */
    static void multRows(
            double[] a, double[] b, double[] c, int k, int n, int from, int to, int p0, int p1, boolean fused) {
        RowKernel.product(a, k, 1, b, n, 1, c, n, from, to, p0, p1, fused);
    }

    /** {@code c[m x n] = a[k x m]^T * b[k x n]}: the gradient {@code dW = Delta^T A}, summed over the k rows. */
    public static void multTransA(double[] a, double[] b, double[] c, int m, int k, int n) {
        check(a, k, m, "a", b, k, n, "b", c, m, n);
        multTransARows(a, b, c, m, k, n, 0, m, false);
    }

    /** Rows {@code [from, to)} of {@link #multTransA}, each element summed over p in ascending order; shapes already checked. */
    static void multTransARows(
            double[] a, double[] b, double[] c, int m, int k, int n, int from, int to, boolean fused) {
        RowKernel.product(a, 1, m, b, n, 1, c, n, from, to, 0, k, fused);
    }

    /**
     * Rows {@code [from, to)} of {@code c = a^T b + alpha * addend} ({@code addend[m x n]}): the bits of {@link
     * #multTransARows} then {@link #axpyRange} over the same rows, the addend added by the kernel itself. Shapes
     * already checked.
     */
    static void multTransARows(
            double[] a,
            double[] b,
            double[] c,
            int m,
            int k,
            int n,
            int from,
            int to,
            double alpha,
            double[] addend,
            boolean fused) {
        RowKernel.product(a, 1, m, b, n, 1, c, n, from, to, 0, k, alpha, addend, fused);
    }

    /**
     * Rows {@code [from, to)} of {@code c[* x n] = a[* x k] b[k x n]} on float operands, summed over p in {@code [p0,
     * p1)} in float (fused or not), each sum widened to double: the contract of {@link FloatRowKernel}. Shapes already
     * checked.
     */
    static void multRows(
            float[] a, float[] b, double[] c, int k, int n, int from, int to, int p0, int p1, boolean fused) {
        FloatRowKernel.product(a, k, 1, b, n, 1, c, n, from, to, p0, p1, 0, null, fused);
    }

    /** Rows {@code [from, to)} of {@code c[* x n] = a[* x k] b[n x k]^T} on float operands; shapes already checked. */
    static void multTransBRows(float[] a, float[] b, double[] c, int k, int n, int from, int to, boolean fused) {
        FloatRowKernel.product(a, k, 1, b, 1, k, c, n, from, to, 0, k, 0, null, fused);
    }

    /**
     * Rows {@code [from, to)} of {@code c[m x n] = a[k x m]^T b[k x n] + alpha * addend[m x n]} on float operands, the
     * addend (null for none) added in double to each widened sum. Shapes already checked.
     */
    static void multTransARows(
            float[] a,
            float[] b,
            double[] c,
            int m,
            int k,
            int n,
            int from,
            int to,
            double alpha,
            double[] addend,
            boolean fused) {
        FloatRowKernel.product(a, 1, m, b, n, 1, c, n, from, to, 0, k, alpha, addend, fused);
    }

    /** Adds {@code v[n]} to each of the {@code m} rows of {@code c}. */
    public static void addRowVector(double[] c, double[] v, int m, int n) {
        checkLength(c, m, n, "c");
        checkLength(v, 1, n, "v");
        addRowVectorRows(c, v, n, 0, m);
    }

    /** Adds {@code v[n]} to rows {@code [from, to)} of {@code c}; shapes already checked. */
    static void addRowVectorRows(double[] c, double[] v, int n, int from, int to) {
        for (int i = from; i < to; i++) {
            int co = i * n;
            for (int j = 0; j < n; j++) c[co + j] += v[j];
        }
    }

    /** {@code y[from, to) += alpha * x[from, to)}; lengths already checked. */
    static void axpyRange(double alpha, double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) y[i] += alpha * x[i];
    }

    /** {@code out[n]} = the sums of the columns of {@code a[m x n]}. */
    public static void sumColumns(double[] a, double[] out, int m, int n) {
        checkLength(a, m, n, "a");
        checkLength(out, 1, n, "out");
        if (a == out) throw new IllegalArgumentException("out aliases a");
        java.util.Arrays.fill(out, 0, n, 0.0);
        for (int i = 0; i < m; i++) {
            int ao = i * n;
            for (int j = 0; j < n; j++) out[j] += a[ao + j];
        }
    }

    /** {@code y[0, n) += alpha * x[0, n)}. */
    public static void axpy(double alpha, double[] x, double[] y, int n) {
        checkLength(x, 1, n, "x");
        checkLength(y, 1, n, "y");
        axpyRange(alpha, x, y, 0, n);
    }

    /** The sum of squares of {@code x[0, n)}, as {@link #sumOfSquares(double[], int, int)} adds them. */
    public static double sumOfSquares(double[] x, int n) {
        checkLength(x, 1, n, "x");
        return sumOfSquares(x, 0, n);
    }

    /**
     * The sum of squares of {@code x[from, to)}, in eight interleaved partial sums added pairwise at the end: eight
     * independent chains of additions instead of one, in an order that depends on nothing but the range.
     */
    public static double sumOfSquares(double[] x, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from;
        for (; i + 7 < to; i += 8) {
            s0 += x[i] * x[i];
            s1 += x[i + 1] * x[i + 1];
            s2 += x[i + 2] * x[i + 2];
            s3 += x[i + 3] * x[i + 3];
            s4 += x[i + 4] * x[i + 4];
            s5 += x[i + 5] * x[i + 5];
            s6 += x[i + 6] * x[i + 6];
            s7 += x[i + 7] * x[i + 7];
        }
        for (; i < to; i++) s0 += x[i] * x[i];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Eight partial sums {@code lanes[at, at + 8)} added as {@link #sumOfSquares(double[], int, int)} adds its own. */
    public static double sumOfLanes(double[] lanes, int at) {
        return ((lanes[at] + lanes[at + 1]) + (lanes[at + 2] + lanes[at + 3]))
                + ((lanes[at + 4] + lanes[at + 5]) + (lanes[at + 6] + lanes[at + 7]));
    }

    /**
     * {@code out[r] = sumOfSquares(x, r * n, (r + 1) * n)} for every row r in {@code [from, to)}: by the native kernels
     * where they are loaded (vectorised; the JIT adds these sums one value at a time), the same bits either way.
     */
    public static void rowSumsOfSquares(double[] x, int n, int from, int to, double[] out) {
        if (n < 0 || from < 0 || from > to || to > out.length || (long) to * n > x.length) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") of " + n + " values in arrays of "
                    + x.length + " and " + out.length);
        }
        if ((long) (to - from) * n >= NATIVE_MINIMUM
                && NativeDense.available()
                && NativeDense.rowSquares(x, n, from, to, out)) return;
        for (int r = from; r < to; r++) out[r] = sumOfSquares(x, r * n, (r + 1) * n);
    }

    /** Values below which a float copy or row squares are made here: the native call costs more than it saves. */
    private static final int NATIVE_MINIMUM = 256;

    /** {@code to[0, n) = (float) from[0, n)}: the float copy of an operand, each value rounded to nearest. */
    public static void toFloat(double[] from, float[] to, int n) {
        toFloat(from, to, 0, n);
    }

    /**
     * {@code to[i] = (float) from[i]} for i in {@code [offset, offset + n)}: by the native kernels where they are
     * loaded (the JIT converts one value at a time, a pass over a layer's weights costing a third of its forward
     * product), the same bits either way.
     */
    public static void toFloat(double[] from, float[] to, int offset, int n) {
        if (offset < 0 || n < 0 || from.length - n < offset || to.length - n < offset) {
            throw new IllegalArgumentException("values [" + offset + ", " + offset + " + " + n + ") of arrays of "
                    + from.length + " and " + to.length);
        }
        if (n >= NATIVE_MINIMUM && NativeDense.available() && NativeDense.narrow(from, to, offset, n)) return;
        for (int i = offset, end = offset + n; i < end; i++) to[i] = (float) from[i];
    }

    static void check(
            double[] a, int ar, int ac, String an, double[] b, int br, int bc, String bn, double[] c, int cr, int cc) {
        if (ar < 0 || ac < 0 || br < 0 || bc < 0) throw new IllegalArgumentException("negative dimension");
        checkLength(a, ar, ac, an);
        checkLength(b, br, bc, bn);
        checkLength(c, cr, cc, "c");
        if (c == a || c == b) throw new IllegalArgumentException("c aliases an input");
    }

    /** {@link #check} of the float products: float operands, a double result (which cannot alias them). */
    static void check(
            float[] a, int ar, int ac, String an, float[] b, int br, int bc, String bn, double[] c, int cr, int cc) {
        if (ar < 0 || ac < 0 || br < 0 || bc < 0) throw new IllegalArgumentException("negative dimension");
        checkLength(a, ar, ac, an);
        checkLength(b, br, bc, bn);
        checkLength(c, cr, cc, "c");
    }

    /** That {@code x} holds a {@code rows x cols} matrix; the message is built only on failure, so a check allocates nothing. */
    static void checkLength(double[] x, int rows, int cols, String name) {
        if (x.length < (long) rows * cols) {
            throw new IllegalArgumentException(
                    "'" + name + "' holds " + x.length + " values, too few for " + rows + " x " + cols);
        }
    }

    /** {@link #checkLength(double[], int, int, String)} of a float matrix. */
    static void checkLength(float[] x, int rows, int cols, String name) {
        if (x.length < (long) rows * cols) {
            throw new IllegalArgumentException(
                    "'" + name + "' holds " + x.length + " values, too few for " + rows + " x " + cols);
        }
    }
}
