package io.backprop.runner.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float products against the plain loop of their contract, to the last bit: a float sum from +0 over p ascending,
 * each term fused or not as asked, widened to double as it is written, then plus {@code alpha * addend} in double.
 */
class FloatDenseTest {
    private final SplittableRandom random = new SplittableRandom(11);

    private enum Entry {
        MULT,
        MULT_TRANS_B,
        MULT_TRANS_A
    }

    /**
     * The contract as written, every term included (a zero term changes no bit: the sum is never -0): {@code c[m x
     * n]} over p in {@code [p0, p1)} of {@code a(i, p) b(p, j)}, a read as {@code a[k x m]^T} for {@link
     * Entry#MULT_TRANS_A}, b as {@code b[n x k]^T} for {@link Entry#MULT_TRANS_B}.
     */
    private static double[] reference(
            Entry entry,
            float[] a,
            float[] b,
            int m,
            int k,
            int n,
            int p0,
            int p1,
            double alpha,
            double[] addend,
            boolean fused) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float s = +0.0f;
                for (int p = p0; p < p1; p++) {
                    float aip = entry == Entry.MULT_TRANS_A ? a[p * m + i] : a[i * k + p];
                    float bpj = entry == Entry.MULT_TRANS_B ? b[j * k + p] : b[p * n + j];
                    s = fused ? Math.fma(aip, bpj, s) : s + aip * bpj;
                }
                c[i * n + j] = addend == null ? (double) s : (double) s + alpha * addend[i * n + j];
            }
        return c;
    }

    /** Rows {@code [from, to)} by the kernel of {@code entry}, the other rows of {@code c} left as they were. */
    private static void kernel(
            Entry entry,
            float[] a,
            float[] b,
            double[] c,
            int m,
            int k,
            int n,
            int from,
            int to,
            int p0,
            int p1,
            double alpha,
            double[] addend,
            boolean fused) {
        switch (entry) {
            case MULT -> Dense.multRows(a, b, c, k, n, from, to, p0, p1, fused);
            case MULT_TRANS_B -> Dense.multTransBRows(a, b, c, k, n, from, to, fused);
            case MULT_TRANS_A -> Dense.multTransARows(a, b, c, m, k, n, from, to, alpha, addend, fused);
        }
    }

    /** Gaussian floats, a quarter of them zero (+0 or -0), as ReLU outputs and deltas are. */
    private float[] randomMatrix(int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            int kind = random.nextInt(8);
            x[i] = kind == 0 ? 0.0f : kind == 1 ? -0.0f : (float) random.nextGaussian();
        }
        return x;
    }

    private double[] randomDoubles(int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) x[i] = random.nextGaussian();
        return x;
    }

    /**
     * Shapes {m, k, n} through every path: the plain loop (under 1,024 multiply-adds), fewer than four terms and a
     * remainder after fours, narrow products (under 16 columns, transposed), several 512-column blocks, transposed
     * copies of widths that are not a multiple of 8, and W2's and W3's shapes.
     */
    private static final int[][] SHAPES = {
        {1, 1, 1},
        {3, 4, 5},
        {1, 3, 1},
        {17, 5, 3},
        {40, 37, 10},
        {15, 16, 15},
        {16, 9, 15},
        {9, 130, 257},
        {6, 300, 513},
        {3, 70, 1100},
        {33, 64, 29},
        {32, 784, 10},
        {32, 128, 784},
        {128, 512, 10},
        {8, 0, 5},
    };

    /** Every entry, fused and not, on the shapes above and on random ones, each over a random range of rows. */
    @Test
    void everyPathGivesTheBitsOfTheContract() {
        int[][] shapes = Arrays.copyOf(SHAPES, SHAPES.length + 40);
        for (int s = SHAPES.length; s < shapes.length; s++) {
            shapes[s] =
                    new int[] {1 + random.nextInt(60), random.nextInt(90), 1 + random.nextInt(s % 4 == 0 ? 1100 : 40)};
        }
        for (int round = 0; round < 3; round++) { // the last rounds on the compiled kernels
            for (int[] shape : shapes) {
                int m = shape[0], k = shape[1], n = shape[2];
                float[] a = randomMatrix(m * k);
                for (int p = 0; p < k; p += 3) for (int i = 0; i < m; i++) a[i * k + p] = 0; // zero in every row
                float[] at = randomMatrix(k * m);
                float[] b = randomMatrix(k * n);
                float[] bt = randomMatrix(n * k);
                double[] addend = randomDoubles(m * n);
                int from = random.nextInt(m), to = from + 1 + random.nextInt(m - from);
                for (Entry entry : Entry.values()) {
                    for (boolean fused : new boolean[] {false, true}) {
                        float[] left = entry == Entry.MULT_TRANS_A ? at : a;
                        float[] right = entry == Entry.MULT_TRANS_B ? bt : b;
                        for (double[] extra :
                                entry == Entry.MULT_TRANS_A ? new double[][] {null, addend} : new double[1][]) {
                            double[] expected = reference(entry, left, right, m, k, n, 0, k, 1e-3, extra, fused);
                            double[] c = new double[m * n];
                            Arrays.fill(c, 7);
                            kernel(entry, left, right, c, m, k, n, from, to, 0, k, 1e-3, extra, fused);
                            for (int i = 0; i < m * n; i++) if (i < from * n || i >= to * n) expected[i] = 7;
                            String where = entry + (fused ? " fused " : " unfused ") + m + "x" + k + "x" + n + " rows "
                                    + from + ".." + to + (extra == null ? "" : " with addend");
                            assertArrayEquals(expected, c, where);
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows summed in pairs give the bits of the contract whatever the zeros of either row (row i's follow {@code i %
     * 6}: zero, zero, dense, non-zero at every third p, at the p after those, a quarter zeros), from an even row and
     * an odd one, every term count from 1 to 9, a part block of columns (1,100) and narrow products (9 columns).
     */
    @Test
    void rowsSummedInPairsGiveTheBitsOfTheContractWhateverTheirZeros() {
        for (int m = 1; m <= 7; m++)
            for (int k = 1; k <= 9; k++)
                for (int n : new int[] {1100, 9}) {
                    int rows = n == 9 ? 40 + m : m;
                    float[] a = new float[rows * k];
                    for (int i = 0; i < rows; i++)
                        for (int p = 0; p < k; p++)
                            a[i * k + p] = DenseTest.patternNonZero(i, p, random) ? (float) random.nextGaussian() : 0;
                    float[] at = new float[k * rows];
                    for (int i = 0; i < rows; i++) for (int p = 0; p < k; p++) at[p * rows + i] = a[i * k + p];
                    float[] b = randomMatrix(k * n);
                    float[] bt = randomMatrix(n * k);
                    double[] addend = randomDoubles(rows * n);
                    for (Entry entry : Entry.values())
                        for (boolean fused : new boolean[] {false, true})
                            for (int from : new int[] {0, 1}) {
                                float[] left = entry == Entry.MULT_TRANS_A ? at : a;
                                float[] right = entry == Entry.MULT_TRANS_B ? bt : b;
                                double[] extra = entry == Entry.MULT_TRANS_A ? addend : null;
                                double[] expected = reference(entry, left, right, rows, k, n, 0, k, 1e-3, extra, fused);
                                double[] c = new double[rows * n];
                                Arrays.fill(c, 7);
                                kernel(entry, left, right, c, rows, k, n, from, rows, 0, k, 1e-3, extra, fused);
                                Arrays.fill(expected, 0, from * n, 7);
                                assertArrayEquals(
                                        expected,
                                        c,
                                        entry + (fused ? " fused " : " unfused ") + rows + "x" + k + "x" + n
                                                + " from row " + from);
                            }
                }
    }

    /** A part of the rows over a part of p leaves the other rows alone: how the forward product sums its halves. */
    @Test
    void rangesOfPAreSummedAlone() {
        for (int[] shape : new int[][] {{20, 50, 12}, {40, 300, 700}, {200, 64, 10}, {4, 9, 8}}) {
            int m = shape[0], k = shape[1], n = shape[2];
            float[] a = randomMatrix(m * k);
            float[] b = randomMatrix(k * n);
            for (boolean fused : new boolean[] {false, true}) {
                for (int[] range : new int[][] {{0, k / 2}, {k / 2, k}, {k / 5, k - 3}, {3, 3}}) {
                    double[] expected = reference(Entry.MULT, a, b, m, k, n, range[0], range[1], 0, null, fused);
                    double[] c = new double[m * n];
                    Arrays.fill(c, 7);
                    Dense.multRows(a, b, c, k, n, 1, m - 1, range[0], range[1], fused);
                    for (int j = 0; j < n; j++) expected[j] = expected[(m - 1) * n + j] = 7;
                    assertArrayEquals(
                            expected,
                            c,
                            m + "x" + k + "x" + n + " p " + range[0] + ".." + range[1] + " fused " + fused);
                }
            }
        }
    }

    /** The flag is not ignored: fused and unfused sums differ, on the plain loop and the vectorised one, on every entry. */
    @Test
    void fusedAndUnfusedSumsDiffer() {
        for (int[] shape : new int[][] {{4, 8, 4}, {64, 128, 96}, {64, 128, 10}}) {
            int m = shape[0], k = shape[1], n = shape[2];
            float[] a = randomMatrix(m * k);
            float[] at = randomMatrix(k * m);
            float[] b = randomMatrix(k * n);
            float[] bt = randomMatrix(n * k);
            for (Entry entry : Entry.values()) {
                float[] left = entry == Entry.MULT_TRANS_A ? at : a;
                float[] right = entry == Entry.MULT_TRANS_B ? bt : b;
                double[] unfused = new double[m * n];
                double[] fused = new double[m * n];
                kernel(entry, left, right, unfused, m, k, n, 0, m, 0, k, 0, null, false);
                kernel(entry, left, right, fused, m, k, n, 0, m, 0, k, 0, null, true);
                int differing = 0;
                for (int i = 0; i < m * n; i++) if (fused[i] != unfused[i]) differing++;
                assertTrue(differing > 0, entry + " " + m + "x" + k + "x" + n + ": fused and unfused agree everywhere");
            }
        }
    }

    /** One term whose product is not a float: fused keeps it exact, unfused rounds it first. */
    @Test
    void aFusedTermIsRoundedOnce() {
        float e = 1 + 0x1p-12f; // e * e = 1 + 2^-11 + 2^-24: the last bit is lost when the product is rounded
        float[] a = {-1, e};
        float[] b = {1, e};
        double[] c = new double[1];
        Dense.multRows(a, b, c, 2, 1, 0, 1, 0, 2, true);
        assertEquals(0x1p-11 + 0x1p-24, c[0]);
        Dense.multRows(a, b, c, 2, 1, 0, 1, 0, 2, false);
        assertEquals(0x1p-11, c[0]);
    }

    /**
     * {@code 0 + (-1 * 0)} is +0, fused or not: a sum whose only terms are -0 is +0, also once the JIT has compiled
     * the kernels (which must not fold the {@code +0.0f} they start from).
     */
    @Test
    void aSumOfNegativeZerosIsPositiveZero() {
        float[] a = {-1, 0, -2, -3, 0, 0, -1, -1, -1, -1, -1};
        int n = 1100; // over 1,024 multiply-adds even for one term: the vectorised kernel, not the plain loop
        float[] b = new float[a.length * n];
        double[] c = new double[n];
        for (int call = 0; call < 2_000; call++) {
            for (int k = 1; k <= a.length; k++) {
                for (boolean fused : new boolean[] {false, true}) {
                    Dense.multRows(a, b, c, k, n, 0, 1, 0, k, fused);
                    for (double v : c) {
                        assertEquals(0L, Double.doubleToRawLongBits(v), "k = " + k + ", call " + call + ", " + fused);
                    }
                }
            }
        }
    }

    /** The scratch each thread keeps grows once; the products then allocate nothing, whatever their shape. */
    @Test
    void productsAllocateNothingOnceTheScratchHasGrown() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        float[] a = randomMatrix(300 * 600);
        float[] b = randomMatrix(300 * 600);
        double[] c = new double[300 * 600];
        double[] addend = randomDoubles(300 * 600);
        long id = Thread.currentThread().getId();
        int[][] shapes = {{300, 300, 600}, {40, 300, 10}, {8, 20, 260}, {3, 4, 5}};
        boolean[] both = {false, true};
        for (int round = 0; round < 3; round++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int[] shape : shapes) {
                int m = shape[0], k = shape[1], n = shape[2];
                for (boolean fused : both) {
                    Dense.multRows(a, b, c, k, n, 0, m, 0, k, fused);
                    Dense.multTransARows(a, b, c, m, k, n, 0, m, 1e-3, addend, fused);
                    Dense.multTransBRows(a, b, c, k, n, 0, m, fused);
                }
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            if (round > 0) assertEquals(0, allocated, "bytes allocated in round " + round);
        }
    }

    @Test
    void shortFloatArraysAreRejectedNamingTheShape() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> Dense.check(new float[6], 2, 3, "x", new float[5], 3, 2, "w", new double[4], 2, 2));
        assertEquals("'w' holds 5 values, too few for 3 x 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dense.checkLength(new float[3], 2, 2, "delta"));
        assertEquals("'delta' holds 3 values, too few for 2 x 2", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Dense.check(new float[6], 2, 3, "x", new float[6], 3, 2, "w", new double[3], 2, 2));
        assertEquals("'c' holds 3 values, too few for 2 x 2", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Dense.check(new float[6], -2, 3, "x", new float[6], 3, 2, "w", new double[4], 2, 2));
        Dense.check(new float[6], 2, 3, "x", new float[6], 3, 2, "w", new double[4], 2, 2);
    }
}
