package io.backprop.runner.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.backprop.runner.evaluation.ClassificationMetrics.PerClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Figures worked out by hand; the comments show the working. */
class ClassificationMetricsTest {
    /**
     * Four classes: a and b as usual, c in the labels but never predicted, d predicted once but in no label.
     * Predicted: a, b, b, d, a for true a, a, b, c, c.
     */
    private static ClassificationMetrics.Result fourClasses() {
        double[] outputs = {
            0.7, 0.1, 0.1, 0.1,
            0.2, 0.5, 0.1, 0.2,
            0.1, 0.6, 0.2, 0.1,
            0.3, 0.2, 0.1, 0.4,
            0.5, 0.1, 0.3, 0.1
        };
        double[] targets = {
            1, 0, 0, 0,
            1, 0, 0, 0,
            0, 1, 0, 0,
            0, 0, 1, 0,
            0, 0, 1, 0
        };
        return ClassificationMetrics.of(outputs, targets, 5, 4, List.of("a", "b", "c", "d"));
    }

    @Test
    void theConfusionMatrixHasTrueClassesInRowsAndPredictedInColumns() {
        var r = fourClasses();
        assertEquals(5, r.examples());
        assertArrayEquals(new long[] {1, 1, 0, 0}, r.confusion()[0]);
        assertArrayEquals(new long[] {0, 1, 0, 0}, r.confusion()[1]);
        assertArrayEquals(new long[] {1, 0, 0, 1}, r.confusion()[2]);
        assertArrayEquals(new long[] {0, 0, 0, 0}, r.confusion()[3]);
    }

    @Test
    void aClassNeverPredictedHasNoPrecisionAndOneNeverTrueNoRecallNorRanking() {
        List<PerClass> p = fourClasses().perClass();
        // a: tp 1 of 2 predicted, of 2 true; F1 = 2tp / (2tp + fp + fn) = 2 / 4.
        assertEquals(new PerClass("a", 0.5, 0.5, 0.5, 2, 4.0 / 6, 0.75), p.get(0));
        // b: tp 1 of 2 predicted, of 1 true; F1 = 2 / 3. Its one positive scores highest.
        assertEquals(new PerClass("b", 0.5, 1.0, 2.0 / 3, 1, 1.0, 1.0), p.get(1));
        // c: never predicted: precision undefined, recall 0, F1 0. Its column ties a positive with two negatives at
        // 0.1:
        // AUC (1 + 3) / 6; AP 1/2 * 1 (at 0.3) + 1/2 * 2/5 (at 0.1).
        assertEquals(new PerClass("c", null, 0.0, 0.0, 2, 4.0 / 6, 0.7), p.get(2));
        // d: in no label: recall, AUC and AP undefined; predicted once, wrongly.
        assertEquals(new PerClass("d", 0.0, null, 0.0, 0, null, null), p.get(3));
    }

    @Test
    void averagesTakeTheClassesWhoseValueIsDefined() {
        var r = fourClasses();
        assertEquals(
                (0.5 + 1.0 + 0.0) / 3, r.balancedAccuracy(), 1e-15, "recall over the classes with support: a, b, c");
        assertEquals((0.5 + 2.0 / 3 + 0 + 0) / 4, r.macroF1(), 1e-15, "F1 over classes true or predicted: all four");
        assertEquals((0.5 * 2 + 2.0 / 3 * 1 + 0 * 2) / 5, r.weightedF1(), 1e-15, "F1 weighted by support");
        assertEquals((4.0 / 6 + 1 + 4.0 / 6) / 3, r.rocAuc(), 1e-15, "macro one-vs-rest over a, b, c");
        assertEquals((0.75 + 1 + 0.7) / 3, r.averagePrecision(), 1e-15);
        double logLoss = -(Math.log(0.7) + Math.log(0.2) + Math.log(0.6) + Math.log(0.1) + Math.log(0.3)) / 5;
        assertEquals(logLoss, r.logLoss(), 1e-15);
    }

    @Test
    void aSingleSigmoidOutputIsTwoClassesTheSecondPositive() {
        // True yes, yes, no, no; predicted yes, no, yes, no.
        var r = ClassificationMetrics.of(
                new double[] {0.9, 0.4, 0.6, 0.1}, new double[] {1, 1, 0, 0}, 4, 1, List.of("no", "yes"));
        assertArrayEquals(new long[] {1, 1}, r.confusion()[0]);
        assertArrayEquals(new long[] {1, 1}, r.confusion()[1]);
        // yes: positives 0.9, 0.4 against 0.6, 0.1: 3 of 4 pairs. AP: 1/2 * 1 + 1/2 * 2/3.
        assertEquals(
                new PerClass("yes", 0.5, 0.5, 0.5, 2, 0.75, 0.5 + 1.0 / 3),
                r.perClass().get(1));
        // no, scored 1 - p: positives 0.4, 0.9 (of 1 - p) against 0.1, 0.6: 3 of 4. AP: 1/2 * 1 + 1/2 * 2/3.
        assertEquals(
                new PerClass("no", 0.5, 0.5, 0.5, 2, 0.75, 0.5 + 1.0 / 3),
                r.perClass().get(0));
        assertEquals(0.75, r.rocAuc(), "binary: the positive class's, not a mean");
        assertEquals(0.5 + 1.0 / 3, r.averagePrecision(), 1e-15);
        assertEquals(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.9)) / 4, r.logLoss(), 1e-15);
        assertEquals(0.5, r.balancedAccuracy());
    }

    @Test
    void twoSoftmaxOutputsGiveTheSameFiguresAsOneSigmoid() {
        var one = ClassificationMetrics.of(
                new double[] {0.9, 0.4, 0.6, 0.1}, new double[] {1, 1, 0, 0}, 4, 1, List.of("no", "yes"));
        var two = ClassificationMetrics.of(
                new double[] {0.1, 0.9, 0.6, 0.4, 0.4, 0.6, 0.9, 0.1},
                new double[] {0, 1, 0, 1, 1, 0, 1, 0},
                4,
                2,
                List.of("no", "yes"));
        assertEquals(one.toMap().toString(), two.toMap().toString());
    }

    @Test
    void probabilitiesAreClippedInTheLogLoss() {
        var r = ClassificationMetrics.of(new double[] {1, 0, 0, 1}, new double[] {0, 1, 0, 1}, 2, 2, List.of("a", "b"));
        assertEquals(-Math.log(1e-15) / 2 + -Math.log(1 - 1e-15) / 2, r.logLoss(), 1e-12);
    }

    @Test
    void theMapHasTheAgreedKeysInOrderAndNullsForUndefinedValues() {
        Map<String, Object> m = fourClasses().toMap();
        assertEquals(
                List.of(
                        "examples",
                        "log_loss",
                        "balanced_accuracy",
                        "macro_f1",
                        "weighted_f1",
                        "roc_auc",
                        "average_precision",
                        "classes",
                        "confusion_matrix",
                        "per_class"),
                List.copyOf(m.keySet()));
        assertEquals(
                List.of(
                        List.of(1L, 1L, 0L, 0L),
                        List.of(0L, 1L, 0L, 0L),
                        List.of(1L, 0L, 0L, 1L),
                        List.of(0L, 0L, 0L, 0L)),
                m.get("confusion_matrix"));
        @SuppressWarnings("unchecked")
        var d = ((List<Map<String, Object>>) m.get("per_class")).get(3);
        assertEquals(
                List.of("class", "precision", "recall", "f1", "support", "roc_auc", "average_precision"),
                List.copyOf(d.keySet()));
        assertEquals("d", d.get("class"));
        assertNull(d.get("recall"));
        assertNull(d.get("roc_auc"));
        assertEquals(0L, d.get("support"));
    }
}
