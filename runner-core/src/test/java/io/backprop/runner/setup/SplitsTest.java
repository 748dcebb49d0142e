package io.backprop.runner.setup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backprop.runner.plugin.Dataset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {
    /** 30 examples of class 0 and 10 of class 1, one-hot. */
    private static Dataset imbalanced() {
        int rows = 40;
        double[] x = new double[rows];
        double[] y = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            x[r] = r;
            y[r * 2 + (r < 30 ? 0 : 1)] = 1;
        }
        return new Dataset(x, y, rows, 1, 2, Dataset.Task.CLASSIFICATION, List.of("a", "b"));
    }

    @Test
    void partsKeepTheClassProportionsAndCoverEveryRowOnce() {
        Dataset data = imbalanced();
        int[][] parts = Splits.stratified(data, new double[] {0.2, 0.1}, new SplittableRandom(1));
        assertEquals(8, parts[0].length);
        assertEquals(4, parts[1].length);
        assertEquals(28, parts[2].length);
        assertEquals(2, IntStream.of(parts[0]).filter(r -> r >= 30).count());
        assertEquals(1, IntStream.of(parts[1]).filter(r -> r >= 30).count());
        int[] all = IntStream.concat(
                        IntStream.concat(IntStream.of(parts[0]), IntStream.of(parts[1])), IntStream.of(parts[2]))
                .sorted()
                .toArray();
        assertArrayEquals(IntStream.range(0, 40).toArray(), all);
    }

    @Test
    void theSeedFixesTheSplit() {
        Dataset data = imbalanced();
        assertArrayEquals(
                Splits.stratified(data, new double[] {0.25}, new SplittableRandom(4))[0],
                Splits.stratified(data, new double[] {0.25}, new SplittableRandom(4))[0]);
    }
}
