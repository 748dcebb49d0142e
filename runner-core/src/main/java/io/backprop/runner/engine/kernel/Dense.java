package io.backprop.runner.engine.kernel;

/**
 * Dense kernels over flat row-major {@code double[]} matrices ({@code a[i * cols + j]}). The caller owns every
 * output: kernels write into the arrays passed, never allocate, and check shapes and aliasing first. Arrays may be
 * longer than the matrix they hold; only the leading {@code rows * cols} entries are read or written.
 */
public final class Dense {
    private Dense() {}

    /** {@code c[m x n] = a[m x k] * b[n x k]^T}: the forward product {@code Z = A W^T}, no transpose made. */
    public static void multTransB(double[] a, double[] b, double[] c, int m, int k, int n) {
        check(a, m, k, "a", b, n, k, "b", c, m, n);
        multTransBRows(a, b, c, k, n, 0, m);
    }

    /**
     * Rows {@code [from, to)} of {@link #multTransB}; shapes already checked. Four outputs of a row at a time, each
     * its own accumulator summed over p in ascending order (so the bits are those of the plain loop), which gives
     * the processor four independent multiply-add chains and reads each element of a row of {@code a} once per four.
     */
    static void multTransBRows(double[] a, double[] b, double[] c, int k, int n, int from, int to) {
        for (int i = from; i < to; i++) {
            int ao = i * k;
            int co = i * n;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                int b0 = j * k;
                int b1 = b0 + k;
                int b2 = b1 + k;
                int b3 = b2 + k;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int p = 0; p < k; p++) {
                    double x = a[ao + p];
                    s0 += x * b[b0 + p];
                    s1 += x * b[b1 + p];
                    s2 += x * b[b2 + p];
                    s3 += x * b[b3 + p];
                }
                c[co + j] = s0;
                c[co + j + 1] = s1;
                c[co + j + 2] = s2;
                c[co + j + 3] = s3;
            }
            for (; j < n; j++) {
                int bo = j * k;
                double s = 0;
                for (int p = 0; p < k; p++) s += a[ao + p] * b[bo + p];
                c[co + j] = s;
            }
        }
    }

    /** {@code c[m x n] = a[m x k] * b[k x n]}: the backward product {@code dA = Delta W}, i-p-j order. */
    public static void mult(double[] a, double[] b, double[] c, int m, int k, int n) {
        check(a, m, k, "a", b, k, n, "b", c, m, n);
        multRows(a, b, c, k, n, 0, m, 0, k);
    }

    /** Rows {@code [from, to)} of {@link #mult}, summed over p in {@code [p0, p1)} only; shapes already checked. */
    static void multRows(double[] a, double[] b, double[] c, int k, int n, int from, int to, int p0, int p1) {
        java.util.Arrays.fill(c, from * n, to * n, 0.0);
        for (int i = from; i < to; i++) {
            int co = i * n;
            for (int p = p0; p < p1; p++) {
                double aip = a[i * k + p];
                if (aip == 0) continue;
                int bo = p * n;
                for (int j = 0; j < n; j++) c[co + j] += aip * b[bo + j];
            }
        }
    }

    /** {@code c[m x n] = a[k x m]^T * b[k x n]}: the gradient {@code dW = Delta^T A}, summed over the k rows. */
    public static void multTransA(double[] a, double[] b, double[] c, int m, int k, int n) {
        check(a, k, m, "a", b, k, n, "b", c, m, n);
        multTransARows(a, b, c, m, k, n, 0, m);
    }

    /**
     * Rows {@code [from, to)} of {@link #multTransA}, each summed over p in ascending order; shapes already checked.
     * A row of {@code c} is finished before the next begins, so it stays in cache while the rows of {@code b} stream.
     */
    static void multTransARows(double[] a, double[] b, double[] c, int m, int k, int n, int from, int to) {
        java.util.Arrays.fill(c, from * n, to * n, 0.0);
        for (int i = from; i < to; i++) {
            int co = i * n;
            for (int p = 0; p < k; p++) {
                double api = a[p * m + i];
                if (api == 0) continue;
                int bo = p * n;
                for (int j = 0; j < n; j++) c[co + j] += api * b[bo + j];
            }
        }
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

    static void check(double[] a, int ar, int ac, String an, double[] b, int br, int bc, String bn,
                              double[] c, int cr, int cc) {
        if (ar < 0 || ac < 0 || br < 0 || bc < 0) throw new IllegalArgumentException("negative dimension");
        checkLength(a, ar, ac, an);
        checkLength(b, br, bc, bn);
        checkLength(c, cr, cc, "c");
        if (c == a || c == b) throw new IllegalArgumentException("c aliases an input");
    }

    /** That {@code x} holds a {@code rows x cols} matrix; the message is built only on failure, so a check allocates nothing. */
    static void checkLength(double[] x, int rows, int cols, String name) {
        if (x.length < (long) rows * cols) {
            throw new IllegalArgumentException("'" + name + "' holds " + x.length + " values, too few for " + rows + " x " + cols);
        }
    }
}
