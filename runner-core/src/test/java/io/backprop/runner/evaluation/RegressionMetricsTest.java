package io.backprop.runner.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
    @Test
    void rmseMaeAndR2OfOneOutput() {
        // Residuals -0.5, 0, 0.5, -1: squares sum to 1.5, absolutes to 2; the targets' squares about 2.5 sum to 5.
        var r = RegressionMetrics.of(new double[] {1.5, 2, 2.5, 5}, new double[] {1, 2, 3, 4}, 4, 1);
        assertEquals(Math.sqrt(1.5 / 4), r.rmse(), 1e-15);
        assertEquals(0.5, r.mae(), 1e-15);
        assertEquals(1 - 1.5 / 5, r.r2(), 1e-15);
        assertEquals(List.of("examples", "mae", "r2"), List.copyOf(r.toMap().keySet()));
    }

    @Test
    void r2IsTheMeanOverOutputsAndAConstantTargetHasNone() {
        // Output 0 as above; output 1's targets are all 7, so it has no R².
        double[] outputs = {1.5, 7, 2, 7.5, 2.5, 7, 5, 6};
        double[] targets = {1, 7, 2, 7, 3, 7, 4, 7};
        var r = RegressionMetrics.of(outputs, targets, 4, 2);
        assertEquals(1 - 1.5 / 5, r.r2(), 1e-15);
        assertEquals((2 + 1.5) / 8, r.mae(), 1e-15);
        // Output 1: targets 2, 4, 6, 8 (squares about 5 sum to 20), one residual of 1: R² 0.95. The mean of the two is
        // not the R² of every value pooled.
        var two = RegressionMetrics.of(
                new double[] {1.5, 2, 2, 4, 2.5, 6, 5, 9}, new double[] {1, 2, 2, 4, 3, 6, 4, 8}, 4, 2);
        assertEquals((0.7 + 0.95) / 2, two.r2(), 1e-15);
        assertNull(
                RegressionMetrics.of(new double[] {1}, new double[] {2}, 1, 1).r2(), "one example has no spread");
    }
}
