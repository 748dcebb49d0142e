package io.backprop.runner.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankingTest {
    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    void aTieBetweenAPositiveAndANegativeCountsHalfAPair() {
        // Pairs: 0.9 > 0.8, 0.9 > 0.3, 0.8 = 0.8 (half), 0.8 > 0.3: 3.5 of 4.
        assertEquals(0.875, Ranking.rocAuc(new double[] {0.9, 0.8, 0.8, 0.3}, new boolean[] {T, F, T, F}));
        // The order the tied examples come in changes nothing.
        assertEquals(0.875, Ranking.rocAuc(new double[] {0.8, 0.9, 0.3, 0.8}, new boolean[] {T, T, F, F}));
    }

    @Test
    void averagePrecisionStepsOverDistinctScoresWithATieOneThreshold() {
        // At 0.9: recall 1/2, precision 1; at 0.8 (both tied): recall 1, precision 2/3. 1/2 + 1/2 * 2/3 = 5/6.
        assertEquals(
                5.0 / 6,
                Ranking.averagePrecision(new double[] {0.9, 0.8, 0.8, 0.3}, new boolean[] {T, F, T, F}),
                1e-15);
        assertEquals(
                5.0 / 6,
                Ranking.averagePrecision(new double[] {0.8, 0.3, 0.9, 0.8}, new boolean[] {F, F, T, T}),
                1e-15);
        // Interpolated, the tie would be broken in the positive's favour and give 1 + ...: not what scikit-learn does.
    }

    @Test
    void scoresAllTiedGiveAHalfAndThePrevalence() {
        double[] scores = {0.5, 0.5, 0.5, 0.5, 0.5};
        boolean[] positive = {T, F, F, T, F};
        assertEquals(0.5, Ranking.rocAuc(scores, positive));
        assertEquals(0.4, Ranking.averagePrecision(scores, positive), 1e-15);
    }

    @Test
    void withoutPositivesNeitherIsDefinedAndWithoutNegativesTheAucIsNot() {
        double[] scores = {0.1, 0.7, 0.3};
        assertTrue(Double.isNaN(Ranking.rocAuc(scores, new boolean[] {F, F, F})));
        assertTrue(Double.isNaN(Ranking.averagePrecision(scores, new boolean[] {F, F, F})));
        assertTrue(Double.isNaN(Ranking.rocAuc(scores, new boolean[] {T, T, T})));
        assertEquals(1.0, Ranking.averagePrecision(scores, new boolean[] {T, T, T}));
    }

    @Test
    void aPerfectRankingAndAReversedOne() {
        double[] scores = {0.9, 0.8, 0.2, 0.1};
        assertEquals(1.0, Ranking.rocAuc(scores, new boolean[] {T, T, F, F}));
        assertEquals(1.0, Ranking.averagePrecision(scores, new boolean[] {T, T, F, F}));
        double[] ten = {1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0};
        boolean[] first = {T, T, T, T, T, T, T, T, T, T, F};
        assertEquals(
                1.0,
                Ranking.averagePrecision(ten, first),
                0.0,
                "exactly: ten steps of 1/10 would sum to 0.9999999999999999");
        assertEquals(0.0, Ranking.rocAuc(scores, new boolean[] {F, F, T, T}));
        // Recall 1/2 at 0.2 with precision 1/3, recall 1 at 0.1 with precision 2/4.
        assertEquals(0.5 / 3 + 0.5 * 0.5, Ranking.averagePrecision(scores, new boolean[] {F, F, T, T}), 1e-15);
        assertEquals(
                0.25,
                Ranking.rocAuc(new double[] {-0.0, 0.0, 0.5}, new boolean[] {T, F, F}),
                "-0.0 and 0.0 are one score: the positive ties the first negative (half a pair) and loses to the second");
    }
}
