package io.backprop.runner.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The layer products, on every kernel and thread count, against the textbook loops: equal to the last bit, because
 * each result element must be the one sum over p in ascending order whatever runs it.
 */
class ProductsTest {
    private final SplittableRandom random = new SplittableRandom(1);

    /** Shapes {rows, fanIn, units} that reach every path: 4-row tiles and single rows, 16-, 4- and 1-column tiles, several blocks of p. */
    private static final int[][] SHAPES = {
        {1, 1, 1},
        {2, 2, 2},
        {4, 16, 16},
        {5, 3, 17},
        {7, 300, 90},
        {33, 97, 41},
        {64, 130, 10},
        {32, 784, 128},
        {13, 129, 20},
        {3, 257, 33},
        {8, 0, 5},
        {128, 64, 257},
    };

    private double[] random(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = random.nextInt(3) == 0 ? 0 : random.nextGaussian();
        return x;
    }

    /** {@code s + a * b}: fused with one rounding, or a separate multiply and add. */
    private static double madd(boolean fused, double s, double a, double b) {
        return fused ? Math.fma(a, b, s) : s + a * b;
    }

    /** Over more than 4 inputs, {@code (lower + upper) + bias}: the sums over the two halves of the inputs, added. */
    private static double[] forwardReference(
            boolean fused, double[] x, double[] w, double[] bias, int rows, int fanIn, int units) {
        int half = fanIn <= 4 ? 0 : (fanIn + 3) / 4 / 2 * 4;
        assertEquals(half, Products.half(fanIn));
        double[] z = new double[rows * units];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < units; j++) {
                double lower = 0;
                for (int p = 0; p < half; p++) lower = madd(fused, lower, x[i * fanIn + p], w[p * units + j]);
                double upper = 0;
                for (int p = half; p < fanIn; p++) upper = madd(fused, upper, x[i * fanIn + p], w[p * units + j]);
                z[i * units + j] = half == 0 ? upper + bias[j] : (lower + upper) + bias[j];
            }
        return z;
    }

    private static double[] weightGradientReference(
            boolean fused, double[] x, double[] delta, double[] w, double l2, int rows, int fanIn, int units) {
        double[] gw = new double[fanIn * units];
        for (int i = 0; i < fanIn; i++)
            for (int j = 0; j < units; j++) {
                double s = 0;
                for (int r = 0; r < rows; r++) s = madd(fused, s, x[r * fanIn + i], delta[r * units + j]);
                gw[i * units + j] = l2 == 0 ? s : s + l2 * w[i * units + j];
            }
        return gw;
    }

    private static double[] inputGradientReference(
            boolean fused, double[] delta, double[] w, int rows, int fanIn, int units) {
        double[] dx = new double[rows * fanIn];
        for (int i = 0; i < rows; i++)
            for (int p = 0; p < fanIn; p++) {
                double s = 0;
                for (int j = 0; j < units; j++) s = madd(fused, s, delta[i * units + j], w[p * units + j]);
                dx[i * fanIn + p] = s;
            }
        return dx;
    }

    /** One thread and several, on the native kernels where this platform has them, and on the Java kernels. */
    private static List<Products> everyProducts(List<Workers> workers) {
        List<Products> all = new ArrayList<>();
        for (Workers w : workers) {
            all.add(new Products(w, true, 0, 0));
            all.add(new Products(w, false, 0, 0));
            all.add(new Products(w, true, Products.NATIVE_THRESHOLD, Products.PARALLEL_THRESHOLD));
        }
        return all;
    }

    /** The copies of the native kernels this processor runs, widest first. */
    private static List<String> runnableCopies() {
        List<String> copies = new ArrayList<>();
        for (String copy : NativeDense.availableCopies()) if (NativeDense.useCopy(copy)) copies.add(copy);
        if (!copies.isEmpty()) NativeDense.useCopy(copies.get(0));
        return copies;
    }

    @Test
    void everyCopyOfTheNativeKernelsGivesTheSameBits() {
        List<String> copies = runnableCopies();
        try {
            for (String copy : copies) {
                assertTrue(NativeDense.useCopy(copy));
                assertTrue(
                        Products.kernels().startsWith("native " + copy + " (libbackprop-kernels, linux-"),
                        Products.kernels());
                everyKernelAndSplitGivesTheBitsOfTheTextbookLoops();
                floatOperandsGiveTheBitsOfTheFloatContractOnEveryKernelAndSplit();
            }
        } finally {
            if (!copies.isEmpty()) NativeDense.useCopy(copies.get(0));
        }
    }

    /** The shapes above, and every one of 0 to 4 rows, inputs and units. */
    private static List<int[]> shapes() {
        List<int[]> all = new ArrayList<>(List.of(SHAPES));
        for (int rows = 0; rows <= 4; rows++)
            for (int fanIn = 0; fanIn <= 4; fanIn++)
                for (int units = 0; units <= 4; units++) all.add(new int[] {rows, fanIn, units});
        return all;
    }

    @Test
    void everyKernelAndSplitGivesTheBitsOfTheTextbookLoops() {
        try (var one = new Workers(1);
                var two = new Workers(2);
                var three = new Workers(3)) {
            for (int[] shape : shapes()) {
                int rows = shape[0], fanIn = shape[1], units = shape[2];
                double[] x = random(rows * fanIn);
                double[] w = random(fanIn * units);
                double[] bias = random(units);
                double[] delta = random(rows * units);
                double l2 = shape[0] % 2 == 0 ? 1e-3 : 0;
                for (Products products : everyProducts(List.of(one, two, three))) {
                    boolean fused = products.fused();
                    double[] z = forwardReference(fused, x, w, bias, rows, fanIn, units);
                    double[] gw = weightGradientReference(fused, x, delta, w, l2, rows, fanIn, units);
                    double[] dx = inputGradientReference(fused, delta, w, rows, fanIn, units);
                    String where = rows + "x" + fanIn + "x" + units + (fused ? " fused" : "");
                    double[] actual = new double[rows * units + 3];
                    products.forward(x, w, bias, actual, rows, fanIn, units);
                    assertArrayEquals(z, java.util.Arrays.copyOf(actual, z.length), "forward " + where);
                    actual = new double[fanIn * units];
                    products.weightGradient(x, delta, w, l2, actual, rows, fanIn, units);
                    assertArrayEquals(gw, actual, "weight gradient " + where);
                    actual = new double[rows * fanIn];
                    products.inputGradient(delta, w, actual, rows, fanIn, units);
                    assertArrayEquals(dx, actual, "input gradient " + where);
                }
            }
        }
    }

    private float[] randomFloats(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = random.nextInt(3) == 0 ? 0 : (float) random.nextGaussian();
        return x;
    }

    private static float fmadd(boolean fused, float s, float a, float b) {
        return fused ? Math.fma(a, b, s) : s + a * b;
    }

    /** The float contract: float sums of float operands, each widened to double, then halves, bias and L2 in double. */
    @Test
    void floatOperandsGiveTheBitsOfTheFloatContractOnEveryKernelAndSplit() {
        try (var one = new Workers(1);
                var two = new Workers(2);
                var three = new Workers(3)) {
            for (int[] shape : shapes()) {
                int rows = shape[0], fanIn = shape[1], units = shape[2];
                float[] x = randomFloats(rows * fanIn);
                float[] w = randomFloats(fanIn * units);
                float[] delta = randomFloats(rows * units);
                double[] master = random(fanIn * units);
                double[] bias = random(units);
                double l2 = shape[0] % 2 == 0 ? 1e-3 : 0;
                int half = Products.half(fanIn);
                for (Products products : everyProducts(List.of(one, two, three))) {
                    boolean fused = products.fused();
                    String where = rows + "x" + fanIn + "x" + units + (fused ? " fused" : "");
                    double[] z = new double[rows * units];
                    products.forward(x, w, bias, z, rows, fanIn, units);
                    double[] gw = new double[fanIn * units];
                    products.weightGradient(x, delta, master, l2, gw, rows, fanIn, units, null);
                    double[] dx = new double[rows * fanIn];
                    products.inputGradient(delta, w, dx, rows, fanIn, units);
                    for (int i = 0; i < rows; i++)
                        for (int j = 0; j < units; j++) {
                            float lower = 0;
                            for (int p = 0; p < half; p++)
                                lower = fmadd(fused, lower, x[i * fanIn + p], w[p * units + j]);
                            float upper = 0;
                            for (int p = half; p < fanIn; p++)
                                upper = fmadd(fused, upper, x[i * fanIn + p], w[p * units + j]);
                            double expected = half == 0 ? (double) upper + bias[j] : ((double) lower + upper) + bias[j];
                            assertEquals(expected, z[i * units + j], 0, "forward " + where);
                        }
                    for (int p = 0; p < fanIn; p++)
                        for (int j = 0; j < units; j++) {
                            float sum = 0;
                            for (int r = 0; r < rows; r++)
                                sum = fmadd(fused, sum, x[r * fanIn + p], delta[r * units + j]);
                            double expected = l2 == 0 ? sum : sum + l2 * master[p * units + j];
                            assertEquals(expected, gw[p * units + j], 0, "weight gradient " + where);
                        }
                    for (int i = 0; i < rows; i++)
                        for (int p = 0; p < fanIn; p++) {
                            float sum = 0;
                            for (int j = 0; j < units; j++)
                                sum = fmadd(fused, sum, delta[i * units + j], w[p * units + j]);
                            assertEquals(sum, dx[i * fanIn + p], 0, "input gradient " + where);
                        }
                }
            }
        }
    }

    /** Like MNIST's borders: inputs zero in every row of the batch, which the kernels neither list nor pack. */
    @Test
    void inputsZeroInEveryRowGiveTheBitsOfTheTextbookLoops() {
        try (var one = new Workers(1);
                var two = new Workers(2);
                var three = new Workers(3)) {
            for (int[] shape : new int[][] {{32, 784, 128}, {8, 264, 40}, {12, 136, 10}}) {
                int rows = shape[0], fanIn = shape[1], units = shape[2];
                double[] x = random(rows * fanIn);
                for (int p = 0; p < fanIn; p++) {
                    if (p % 5 < 2 || p > fanIn * 3 / 4) for (int i = 0; i < rows; i++) x[i * fanIn + p] = 0;
                }
                double[] w = random(fanIn * units);
                double[] bias = random(units);
                double[] delta = random(rows * units);
                for (Products products : everyProducts(List.of(one, two, three))) {
                    double[] z = forwardReference(products.fused(), x, w, bias, rows, fanIn, units);
                    double[] gw = weightGradientReference(products.fused(), x, delta, w, 1e-3, rows, fanIn, units);
                    // Twice: the second call's packed panels still hold the first's rows, which must not be read.
                    for (int call = 0; call < 2; call++) {
                        double[] actual = new double[rows * units];
                        products.forward(x, w, bias, actual, rows, fanIn, units);
                        assertArrayEquals(z, actual, "forward " + rows + "x" + fanIn + "x" + units);
                        actual = new double[fanIn * units];
                        products.weightGradient(x, delta, w, 1e-3, actual, rows, fanIn, units);
                        assertArrayEquals(gw, actual, "weight gradient " + rows + "x" + fanIn + "x" + units);
                    }
                    w = random(fanIn * units);
                }
            }
        }
    }

    @Test
    void aWeightGradientSplitByRowsHandsEachPartItsFinishedRows() {
        try (var one = new Workers(1);
                var two = new Workers(2);
                var three = new Workers(3)) {
            // {rows, fanIn, units}: split by rows; in several blocks a part (over AFTER_BLOCK values); by columns
            // where split (more units than inputs); narrow (under 16 units).
            for (int[] shape : new int[][] {{32, 300, 64}, {8, 1202, 64}, {16, 40, 200}, {32, 300, 10}}) {
                int rows = shape[0], fanIn = shape[1], units = shape[2];
                double[] x = random(rows * fanIn);
                double[] delta = random(rows * units);
                double[] w = random(fanIn * units);
                for (Products products : everyProducts(List.of(one, two, three))) {
                    double[] expected =
                            weightGradientReference(products.fused(), x, delta, w, 1e-3, rows, fanIn, units);
                    double[] gw = new double[fanIn * units];
                    boolean[] seen = new boolean[fanIn];
                    var blocks = new java.util.concurrent.atomic.AtomicInteger();
                    products.weightGradient(x, delta, w, 1e-3, gw, rows, fanIn, units, (from, to) -> {
                        blocks.incrementAndGet();
                        assertTrue(
                                (to - from) * units <= Products.AFTER_BLOCK,
                                "a block of at most " + Products.AFTER_BLOCK + " values: rows " + from + " to " + to);
                        for (int r = from; r < to; r++) {
                            synchronized (seen) {
                                assertTrue(!seen[r], "row " + r + " handed over once");
                                seen[r] = true;
                            }
                            for (int u = 0; u < units; u++)
                                assertEquals(expected[r * units + u], gw[r * units + u], "row " + r + " finished");
                        }
                    });
                    assertArrayEquals(expected, gw);
                    int handed = 0;
                    for (boolean s : seen) if (s) handed++;
                    assertTrue(handed == 0 || handed == fanIn, "all rows or none handed over: " + handed);
                    if (units == 64) assertEquals(fanIn, handed, "split by rows or not split: every row handed over");
                    if (fanIn * units > Products.AFTER_BLOCK)
                        assertTrue(blocks.get() >= 3, "handed over in blocks: " + blocks.get());
                }
            }
        }
    }

    /**
     * A {@link PlainStep} as the fused update is one: where the product hands rows over computed, it steps them here;
     * where it stepped them itself, their norms come from its lanes. Either way it keeps what a test compares.
     */
    private static final class RecordingStep implements PlainStep {
        final double rate;
        final double[] w;
        final float[] w32;
        final double[] gw;
        final int units;
        final double[] lanes;
        final double[] norms;
        final boolean[] seen;
        int steppedRows;

        RecordingStep(double rate, double[] w, float[] w32, double[] gw, int fanIn, int units) {
            this.rate = rate;
            this.w = w;
            this.w32 = w32;
            this.gw = gw;
            this.units = units;
            this.lanes = new double[fanIn * 8];
            java.util.Arrays.fill(lanes, Double.NaN); // the product must zero a row's lanes itself
            this.norms = new double[fanIn];
            this.seen = new boolean[fanIn];
        }

        @Override
        public double rate() {
            return rate;
        }

        @Override
        public float[] floatWeights() {
            return w32;
        }

        @Override
        public double[] squares() {
            return lanes;
        }

        @Override
        public synchronized void rows(int from, int to) {
            for (int r = from; r < to; r++) {
                see(r);
                norms[r] = Dense.sumOfSquares(gw, r * units, (r + 1) * units);
                for (int i = r * units; i < (r + 1) * units; i++) {
                    w[i] -= rate * gw[i];
                    if (w32 != null) w32[i] = (float) w[i];
                }
            }
        }

        @Override
        public synchronized void stepped(int from, int to) {
            for (int r = from; r < to; r++) {
                see(r);
                norms[r] = Dense.sumOfLanes(lanes, r * 8);
                steppedRows++;
            }
        }

        private void see(int r) {
            assertTrue(!seen[r], "row " + r + " handed over once");
            seen[r] = true;
        }
    }

    /**
     * The plain step applied by the product as it computes the gradient: the weights, their float copy and each row's
     * norm have the bits of the step taken after it, on every copy, kernel and split, for double and float operands,
     * with the columns in whole lanes, half lanes and leftovers, and over several blocks of p (a batch above 128).
     */
    @Test
    void aPlainStepInTheProductGivesTheBitsOfTheStepAfterIt() {
        List<String> copies = runnableCopies();
        try (var one = new Workers(1);
                var two = new Workers(2);
                var three = new Workers(3)) {
            for (String copy : copies.isEmpty() ? List.of("none") : copies) {
                if (!copies.isEmpty()) assertTrue(NativeDense.useCopy(copy));
                // {rows, fanIn, units}: units of 16 (two lanes of 8), 17, 20 (a half lane), 41, 130 and 257 past
                // the last lane; 10 is narrow (never stepped in the product); 200 over 40 inputs splits by columns.
                for (int[] shape : new int[][] {
                    {32, 300, 64},
                    {8, 1202, 64},
                    {5, 33, 17},
                    {7, 40, 20},
                    {130, 24, 41},
                    {3, 64, 130},
                    {32, 50, 257},
                    {32, 300, 10},
                    {16, 40, 200},
                    {4, 17, 16}
                }) {
                    int rows = shape[0], fanIn = shape[1], units = shape[2];
                    double[] x = random(rows * fanIn);
                    double[] delta = random(rows * units);
                    float[] x32 = randomFloats(rows * fanIn);
                    float[] delta32 = randomFloats(rows * units);
                    double[] w = random(fanIn * units);
                    for (double l2 : new double[] {0, 1e-3}) {
                        for (Workers workers : List.of(one, two, three)) {
                            for (boolean single : new boolean[] {false, true}) {
                                var products = new Products(workers, true, 0, 0);
                                String where = copy + " " + rows + "x" + fanIn + "x" + units + " l2 " + l2 + " on "
                                        + workers.size() + (single ? " float" : " double");
                                double[] gw = new double[fanIn * units];
                                if (single) products.weightGradient(x32, delta32, w, l2, gw, rows, fanIn, units, null);
                                else products.weightGradient(x, delta, w, l2, gw, rows, fanIn, units, null);
                                var after = new RecordingStep(
                                        0.3, w.clone(), single ? new float[w.length] : null, gw, fanIn, units);
                                after.rows(0, fanIn);
                                var inProduct = new RecordingStep(
                                        0.3,
                                        w.clone(),
                                        single ? new float[w.length] : null,
                                        new double[w.length],
                                        fanIn,
                                        units);
                                java.util.Arrays.fill(inProduct.gw, 42);
                                if (single) {
                                    products.weightGradient(
                                            x32, delta32, inProduct.w, l2, inProduct.gw, rows, fanIn, units, inProduct);
                                } else {
                                    products.weightGradient(
                                            x, delta, inProduct.w, l2, inProduct.gw, rows, fanIn, units, inProduct);
                                }
                                boolean byColumns = workers.size() > 1 && units > fanIn;
                                if (NativeDense.available() && units >= 16 && !byColumns) {
                                    assertEquals(fanIn, inProduct.steppedRows, "stepped in the product: " + where);
                                    if (rows <= 128) // over several blocks of p, the partial sums are kept in it
                                    for (double g : inProduct.gw) assertEquals(42, g, "gradient unwritten: " + where);
                                }
                                int handed = 0;
                                for (boolean seen : inProduct.seen) if (seen) handed++;
                                if (handed == 0 && (byColumns || units < 16)) continue; // the caller steps them
                                assertEquals(fanIn, handed, "every row handed over: " + where);
                                assertArrayEquals(after.w, inProduct.w, "weights " + where);
                                if (single) assertArrayEquals(after.w32, inProduct.w32, "float weights " + where);
                                assertArrayEquals(after.norms, inProduct.norms, "row norms " + where);
                            }
                        }
                    }
                }
            }
        } finally {
            if (!copies.isEmpty()) NativeDense.useCopy(copies.get(0));
        }
    }

    @Test
    void aKnownAnswerOnEveryPath() {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] w = {1, 2, 3, 4, 5, 6};
        double[] delta = {1, 0, 0, 1};
        try (var two = new Workers(2)) {
            for (Products products : everyProducts(List.of(two))) {
                double[] z = new double[4];
                products.forward(x, w, new double[] {10, 20}, z, 2, 3, 2);
                assertArrayEquals(new double[] {32, 48, 59, 84}, z);
                double[] gw = new double[6];
                products.weightGradient(x, delta, w, 0.5, gw, 2, 3, 2);
                assertArrayEquals(new double[] {1.5, 5, 3.5, 7, 5.5, 9}, gw);
                double[] dx = new double[6];
                products.inputGradient(delta, w, dx, 2, 3, 2);
                assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, dx);
            }
        }
    }

    @Test
    void nativeKernelsLoadWhereTheBuildHasThem() {
        String platform = NativeDense.platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        boolean built = NativeDense.class.getResource(NativeDense.resource(platform)) != null;
        if (built && System.getProperty("backprop.kernels") == null) {
            assertTrue(NativeDense.available(), Products.kernels());
            String copies = platform.equals("linux-x86_64") ? "avx512|avx2|portable" : "portable";
            assertTrue(
                    Products.kernels().matches("native (" + copies + ") \\(libbackprop-kernels, " + platform + "\\)"),
                    Products.kernels());
        } else {
            assertTrue(Products.kernels().startsWith("Java ("), Products.kernels());
        }
    }

    @Test
    void shapesAreCheckedBeforeAnyKernelRuns() {
        var products = new Products(new Workers(1), true, 0, 0);
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> products.forward(new double[6], new double[6], new double[2], new double[3], 2, 3, 2));
        assertEquals("'c' holds 3 values, too few for 2 x 2", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> products.forward(new double[6], new double[6], new double[1], new double[4], 2, 3, 2));
        double[] w = new double[6];
        assertThrows(
                IllegalArgumentException.class,
                () -> products.weightGradient(new double[6], new double[4], w, 0.1, w, 2, 3, 2));
        double[] delta = new double[4];
        assertThrows(
                IllegalArgumentException.class, () -> products.inputGradient(delta, new double[6], delta, 2, 2, 2));
    }
}
