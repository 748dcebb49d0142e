package io.backprop.runner.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DenseTest {
    private final SplittableRandom random = new SplittableRandom(7);

    /** The textbook triple loop on an element accessor; the kernels must match it. */
    private static double[] naive(double[] a, boolean ta, double[] b, boolean tb, int m, int k, int n) {
        return naive(false, a, ta, b, tb, m, k, n);
    }

    /** The textbook loop, each term fused ({@code Math.fma}, one rounding) or a separate multiply and add. */
    private static double[] naive(boolean fused, double[] a, boolean ta, double[] b, boolean tb, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double aip = ta ? a[p * m + i] : a[i * k + p];
                    double bpj = tb ? b[j * k + p] : b[p * n + j];
                    s = fused ? Math.fma(aip, bpj, s) : s + aip * bpj;
                }
                c[i * n + j] = s;
            }
        return c;
    }

    private double[] randomMatrix(int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) x[i] = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 2 - 1;
        return x;
    }

    @Test
    void productsMatchNaiveReferenceOnRandomShapes() {
        for (int m = 0; m <= 4; m++)
            for (int k = 0; k <= 4; k++)
                for (int n = 0; n <= 4; n++) {
                    double[] a = randomMatrix(m * k);
                    double[] b = randomMatrix(k * n);
                    double[] bt = randomMatrix(n * k);
                    double[] c = new double[m * n];
                    String shape = m + "x" + k + "x" + n;
                    Dense.mult(a, b, c, m, k, n);
                    assertArrayEquals(naive(a, false, b, false, m, k, n), c, 1e-12, "mult " + shape);
                    Dense.multTransB(a, bt, c, m, k, n);
                    assertArrayEquals(naive(a, false, bt, true, m, k, n), c, 1e-12, "multTransB " + shape);
                    double[] at = randomMatrix(k * m);
                    Dense.multTransA(at, b, c, m, k, n);
                    assertArrayEquals(naive(at, true, b, false, m, k, n), c, 1e-12, "multTransA " + shape);
                }
    }

    /**
     * Shapes {m, k, n} through every path of the row kernel: fewer than four terms and a remainder after fours,
     * narrow products (under 16 columns, transposed) and wide ones of several 256-column blocks, transposed copies
     * of widths that are not a multiple of 8.
     */
    private static final int[][] KERNEL_SHAPES = {
        {1, 3, 1}, {17, 5, 3}, {40, 37, 10}, {15, 16, 15}, {16, 9, 15}, {9, 130, 257}, {6, 300, 513}, {33, 64, 29},
    };

    @Test
    void everyPathGivesTheBitsOfTheTextbookLoops() {
        for (int[] shape : KERNEL_SHAPES) {
            int m = shape[0], k = shape[1], n = shape[2];
            String where = m + "x" + k + "x" + n;
            double[] a = randomMatrix(m * k);
            for (int p = 0; p < k; p += 3) for (int i = 0; i < m; i++) a[i * k + p] = 0; // columns zero in every row
            double[] at = randomMatrix(k * m);
            double[] b = randomMatrix(k * n);
            double[] bt = randomMatrix(n * k);
            double[] c = new double[m * n];
            Dense.mult(a, b, c, m, k, n);
            assertArrayEquals(naive(a, false, b, false, m, k, n), c, "mult " + where);
            Dense.multTransB(a, bt, c, m, k, n);
            assertArrayEquals(naive(a, false, bt, true, m, k, n), c, "multTransB " + where);
            Dense.multTransA(at, b, c, m, k, n);
            assertArrayEquals(naive(at, true, b, false, m, k, n), c, "multTransA " + where);
        }
    }

    /**
     * Row sums of squares, natively where the kernels are loaded (every copy): the bits of {@link
     * Dense#sumOfSquares(double[], int, int)} row by row, for rows of every length around the eight interleaved sums,
     * with values whose sum depends on the order (a large value beside small ones), subnormals, overflow and NaN.
     */
    @Test
    void rowSquaresHaveTheBitsOfSumOfSquaresRowByRow() {
        onEveryCopy(() -> {
            for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 63, 128, 129, 300}) checkRowSquares(n);
        });
    }

    /** {@code check} with each native copy this processor runs in use, or once with the Java kernels alone. */
    private static void onEveryCopy(Runnable check) {
        List<String> copies = NativeDense.availableCopies().stream()
                .filter(NativeDense::useCopy)
                .toList();
        try {
            for (String copy : copies.isEmpty() ? List.of("Java") : copies) {
                if (!copies.isEmpty()) NativeDense.useCopy(copy);
                check.run();
            }
        } finally {
            if (!copies.isEmpty()) NativeDense.useCopy(copies.get(0));
        }
    }

    private void checkRowSquares(int n) {
        int rows = 40;
        double[] x = new double[rows * n];
        for (int i = 0; i < x.length; i++) x[i] = random.nextGaussian() * Math.pow(10, random.nextInt(-8, 8));
        x[0] = 1e154; // its square overflows to infinity
        x[n * 3 - 1] = Double.NaN;
        x[n * 5] = Double.MIN_VALUE;
        x[n * 6 + n / 2] = 1e30; // beside small values: the order of the sums shows in the last bits
        double[] out = new double[rows + 2];
        java.util.Arrays.fill(out, 42);
        Dense.rowSumsOfSquares(x, n, 1, rows, out);
        for (int r = 0; r < out.length; r++) {
            double expected = r < 1 || r >= rows ? 42 : Dense.sumOfSquares(x, r * n, (r + 1) * n);
            assertEquals(
                    Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(out[r]),
                    "row " + r + " of " + n + " values, " + Products.kernels());
        }
    }

    /**
     * Row {@code i} of a left operand whose zeros follow {@code i % 6}: zero, zero, dense, non-zero at every third p,
     * at the p after those, a quarter zeros at random. Rows summed as a pair then have no term in common, one each,
     * all or some, and their union is any count modulo the four terms a pass.
     */
    /** Whether a(i, p) of {@link #patternedRows} is non-zero (the float kernels' tests draw the same pattern). */
    static boolean patternNonZero(int i, int p, SplittableRandom random) {
        return switch (i % 6) {
            case 0, 1 -> false;
            case 2 -> true;
            case 3 -> p % 3 == 0;
            case 4 -> p % 3 == 1;
            default -> random.nextInt(4) != 0;
        };
    }

    private double[] patternedRows(int m, int k) {
        double[] a = new double[m * k];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) a[i * k + p] = patternNonZero(i, p, random) ? random.nextDouble() * 2 - 1 : 0;
        return a;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int p = 0; p < cols; p++) t[p * rows + i] = a[i * cols + p];
        return t;
    }

    /**
     * Rows summed in pairs give the bits of the textbook loops whatever the zeros of either row: row counts odd and
     * even, from an even row and an odd one, every term count from 1 to 9 (padded to a multiple of four), columns in
     * blocks and a part block (1,100), and narrow products (9 columns) whose pairs are columns.
     */
    @Test
    void rowsSummedInPairsGiveTheBitsOfTheTextbookLoopsWhateverTheirZeros() {
        for (boolean fused : new boolean[] {false, true})
            for (int m = 1; m <= 7; m++)
                for (int k = 1; k <= 9; k++)
                    for (int n : new int[] {1100, 9}) {
                        int rows = n == 9 ? 40 + m : m; // narrow: more rows than columns, run transposed
                        String where = rows + "x" + k + "x" + n + (fused ? " fused" : "");
                        double[] a = patternedRows(rows, k);
                        double[] b = randomMatrix(k * n);
                        double[] bt = randomMatrix(n * k);
                        double[] c = new double[rows * n];
                        for (int from : new int[] {0, 1}) {
                            java.util.Arrays.fill(c, 7);
                            Dense.multRows(a, b, c, k, n, from, rows, 0, k, fused);
                            double[] expected = naive(fused, a, false, b, false, rows, k, n);
                            java.util.Arrays.fill(expected, 0, from * n, 7);
                            assertArrayEquals(expected, c, "mult from row " + from + ", " + where);
                        }
                        Dense.multTransBRows(a, bt, c, k, n, 0, rows, fused);
                        assertArrayEquals(naive(fused, a, false, bt, true, rows, k, n), c, "multTransB " + where);
                        // The weight gradient's rows are the columns of its stored left operand.
                        double[] at = transpose(a, rows, k);
                        Dense.multTransARows(at, b, c, rows, k, n, 0, rows, fused);
                        assertArrayEquals(naive(fused, at, true, b, false, rows, k, n), c, "multTransA " + where);
                    }
    }

    /** The float copy of an operand, natively where the kernels are loaded: each value as Java's cast rounds it. */
    @Test
    void theFloatCopyHasTheBitsOfTheCastOnEveryValue() {
        double[] edges = {
            0.0,
            -0.0,
            1.0 + 0x1p-24,
            1.0 + 0x1p-24 + 0x1p-52,
            1.0 + 3 * 0x1p-24,
            Float.MIN_VALUE,
            Float.MIN_VALUE / 2,
            Float.MIN_VALUE / 3,
            Double.MIN_VALUE,
            0x1p-130,
            Float.MAX_VALUE,
            Float.MAX_VALUE * (1 + 0x1p-25),
            Double.MAX_VALUE,
            -Double.MAX_VALUE,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.NaN
        };
        double[] from = new double[1000];
        for (int i = 0; i < from.length; i++)
            from[i] = i < edges.length ? edges[i] : random.nextGaussian() * Math.pow(10, random.nextInt(-40, 40));
        onEveryCopy(() -> checkFloatCopy(from));
    }

    private static void checkFloatCopy(double[] from) {
        for (int offset : new int[] {0, 7}) {
            float[] to = new float[from.length];
            java.util.Arrays.fill(to, 42f);
            Dense.toFloat(from, to, offset, from.length - offset - 3);
            for (int i = 0; i < from.length; i++) {
                float expected = i < offset || i >= from.length - 3 ? 42f : (float) from[i];
                assertEquals(
                        Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(to[i]),
                        "value " + i + " (" + from[i] + "), offset " + offset + ", " + Products.kernels());
            }
        }
    }

    @Test
    void everyPathFusedGivesTheBitsOfTheFusedTextbookLoops() {
        boolean differs = false;
        for (int[] shape : KERNEL_SHAPES) {
            int m = shape[0], k = shape[1], n = shape[2];
            String where = m + "x" + k + "x" + n;
            double[] a = randomMatrix(m * k);
            for (int p = 0; p < k; p += 3) for (int i = 0; i < m; i++) a[i * k + p] = 0;
            double[] at = randomMatrix(k * m);
            double[] b = randomMatrix(k * n);
            double[] bt = randomMatrix(n * k);
            double[] c = new double[m * n];
            Dense.multRows(a, b, c, k, n, 0, m, 0, k, true);
            assertArrayEquals(naive(true, a, false, b, false, m, k, n), c, "mult " + where);
            differs |= !java.util.Arrays.equals(c, naive(a, false, b, false, m, k, n));
            Dense.multTransBRows(a, bt, c, k, n, 0, m, true);
            assertArrayEquals(naive(true, a, false, bt, true, m, k, n), c, "multTransB " + where);
            Dense.multTransARows(at, b, c, m, k, n, 0, m, true);
            assertArrayEquals(naive(true, at, true, b, false, m, k, n), c, "multTransA " + where);
        }
        assertTrue(differs, "fusing changes some bits: the flag is not ignored");
    }

    /**
     * {@code 0 + (-1 * 0)} is +0: a sum whose only terms are -0 is +0, as the plain loop makes it, also once the JIT
     * has compiled the kernel (which must not fold the {@code 0.0 +} it starts from).
     */
    @Test
    void aSumOfNegativeZerosIsPositiveZero() {
        double[] a = {-1, 0, -2, -3, 0, 0, -1, -1, -1, -1, -1};
        int n = 1100; // over 1,024 multiply-adds even for one term: the vectorised kernel, not the plain loop
        double[] b = new double[a.length * n];
        double[] c = new double[n];
        for (int call = 0; call < 2_000; call++) {
            for (int k = 1; k <= a.length; k++) {
                Dense.mult(a, b, c, 1, k, n);
                for (double v : c) assertEquals(0L, Double.doubleToRawLongBits(v), "k = " + k + ", call " + call);
            }
        }
    }

    /** The weight gradient with its L2 term added as its rows are written: the bits of the product, then axpy. */
    @Test
    void aWeightGradientWithItsL2TermGivesTheBitsOfTheTwoPasses() {
        for (int[] shape : new int[][] {{3, 4, 5}, {130, 32, 128}, {40, 20, 10}, {300, 64, 7}}) {
            int m = shape[0], k = shape[1], n = shape[2];
            double[] a = randomMatrix(k * m);
            double[] b = randomMatrix(k * n);
            double[] w = randomMatrix(m * n);
            for (boolean fused : new boolean[] {false, true}) {
                double[] expected = new double[m * n];
                Dense.multTransARows(a, b, expected, m, k, n, 1, m, fused);
                Dense.axpyRange(1e-3, w, expected, n, m * n);
                double[] actual = new double[m * n];
                Dense.multTransARows(a, b, actual, m, k, n, 1, m, 1e-3, w, fused);
                assertArrayEquals(expected, actual, m + "x" + k + "x" + n + (fused ? " fused" : ""));
            }
        }
    }

    /** A part of the rows, over a part of p, leaves the other rows alone: how the forward product sums its halves. */
    @Test
    void rowsAndRangesOfPAreSummedAlone() {
        int m = 20, k = 50, n = 12;
        double[] a = randomMatrix(m * k);
        double[] b = randomMatrix(k * n);
        double[] c = new double[m * n];
        java.util.Arrays.fill(c, 7);
        for (boolean fused : new boolean[] {false, true}) {
            java.util.Arrays.fill(c, 7);
            Dense.multRows(a, b, c, k, n, 5, 19, 10, 31, fused);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 10; p < 31; p++)
                        s = fused ? Math.fma(a[i * k + p], b[p * n + j], s) : s + a[i * k + p] * b[p * n + j];
                    assertEquals(i < 5 || i >= 19 ? 7 : s, c[i * n + j], 0, "row " + i + " column " + j);
                }
        }
    }

    /** The scratch each thread keeps grows once; the products then allocate nothing, whatever their shape. */
    @Test
    void productsAllocateNothingOnceTheScratchHasGrown() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double[] a = randomMatrix(300 * 300);
        double[] b = randomMatrix(300 * 300);
        double[] c = new double[300 * 300];
        long id = Thread.currentThread().getId();
        int[][] shapes = {{300, 300, 300}, {40, 300, 10}, {8, 20, 260}};
        for (int round = 0; round < 3; round++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int[] shape : shapes) {
                int m = shape[0], k = shape[1], n = shape[2];
                Dense.mult(a, b, c, m, k, n);
                Dense.multTransA(a, b, c, m, k, n);
                Dense.multTransB(a, b, c, m, k, n);
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            if (round > 0) assertEquals(0, allocated, "bytes allocated in round " + round);
        }
    }

    @Test
    void zeroInnerDimensionGivesZeros() {
        double[] c = {5, 5, 5, 5};
        Dense.mult(new double[0], new double[0], c, 2, 0, 2);
        assertArrayEquals(new double[4], c);
        c = new double[] {5, 5, 5, 5};
        Dense.multTransB(new double[0], new double[0], c, 2, 0, 2);
        assertArrayEquals(new double[4], c);
        c = new double[] {5, 5, 5, 5};
        Dense.multTransA(new double[0], new double[0], c, 2, 0, 2);
        assertArrayEquals(new double[4], c);
    }

    @Test
    void knownAnswer() {
        double[] a = {1, 2, 3, 4, 5, 6}; // 2 x 3
        double[] b = {7, 8, 9, 10, 11, 12}; // 3 x 2
        double[] c = new double[4];
        Dense.mult(a, b, c, 2, 3, 2);
        assertArrayEquals(new double[] {58, 64, 139, 154}, c);
    }

    @Test
    void onlyTheLeadingEntriesOfLongerArraysAreTouched() {
        double[] a = {1, 2, 3, 4, 99};
        double[] b = {1, 0, 0, 1, 99};
        double[] c = {0, 0, 0, 0, -1};
        Dense.mult(a, b, c, 2, 2, 2);
        assertArrayEquals(new double[] {1, 2, 3, 4, -1}, c);
    }

    @Test
    void shortArraysAndAliasingAreRejectedNamingTheShape() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> Dense.mult(new double[5], new double[6], new double[4], 2, 3, 2));
        assertEquals("'a' holds 5 values, too few for 2 x 3", e.getMessage());
        double[] same = new double[4];
        assertThrows(IllegalArgumentException.class, () -> Dense.mult(same, new double[4], same, 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Dense.sumColumns(same, same, 2, 2));
    }

    @Test
    void rowVectorColumnSumsAxpyAndSquares() {
        double[] c = {1, 2, 3, 4, 5, 6};
        Dense.addRowVector(c, new double[] {10, 20, 30}, 2, 3);
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, c);
        double[] sums = new double[3];
        Dense.sumColumns(c, sums, 2, 3);
        assertArrayEquals(new double[] {25, 47, 69}, sums);
        double[] y = {1, 1};
        Dense.axpy(2, new double[] {3, 4}, y, 2);
        assertArrayEquals(new double[] {7, 9}, y);
        assertEquals(25, Dense.sumOfSquares(new double[] {3, 4}, 2));
        assertTrue(Dense.sumOfSquares(new double[] {3, 4, 100}, 2) == 25);
        for (int n : new int[] {0, 1, 7, 8, 9, 17, 1000}) {
            double[] x = randomMatrix(n);
            double expected = 0;
            for (double v : x) expected += v * v;
            assertEquals(expected, Dense.sumOfSquares(x, n), 1e-12 * (1 + expected), "n = " + n);
            double[] ones = new double[n];
            java.util.Arrays.fill(ones, 3);
            assertEquals(9.0 * n, Dense.sumOfSquares(ones, n), "n = " + n);
        }
    }
}
