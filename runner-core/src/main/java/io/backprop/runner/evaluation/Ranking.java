package io.backprop.runner.evaluation;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ranking metrics of scores against yes/no labels, with tied scores as scikit-learn takes them: a tie is one
 * threshold, never broken by the order of the examples. NaN when undefined.
 */
public final class Ranking {
    private Ranking() {}

    /**
     * The area under the ROC curve by the trapezoid rule over the distinct scores, which is the Mann-Whitney
     * statistic: the share of (positive, negative) pairs the scores order right, a tie counting half. Counted in whole
     * pairs and divided once, so it is exact. NaN without a positive or without a negative example.
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        int[] order = descending(scores);
        long positives = count(positive);
        long negatives = positive.length - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        long tp = 0;
        long fp = 0;
        double twiceArea = 0; // in pairs: each step adds (new negatives) x (positives before + positives after)
        for (int i = 0; i < order.length; ) {
            long tpBefore = tp;
            long fpBefore = fp;
            int j = i;
            for (; j < order.length && sameScore(scores[order[j]], scores[order[i]]); j++) {
                if (positive[order[j]]) tp++;
                else fp++;
            }
            twiceArea += (double) (fp - fpBefore) * (tp + tpBefore);
            i = j;
        }
        return twiceArea / 2 / ((double) positives * negatives);
    }

    /**
     * Average precision as scikit-learn's {@code average_precision_score}: {@code sum_n (R_n - R_{n-1}) P_n} over the
     * distinct scores from the highest, P and R the precision and recall of predicting yes at and above score n;
     * step-wise, not interpolated. NaN without a positive example.
     */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        int[] order = descending(scores);
        long positives = count(positive);
        if (positives == 0) return Double.NaN;
        long tp = 0;
        long fp = 0;
        double sum = 0; // of new positives times precision: recall steps times positives
        for (int i = 0; i < order.length; ) {
            long tpBefore = tp;
            int j = i;
            for (; j < order.length && sameScore(scores[order[j]], scores[order[i]]); j++) {
                if (positive[order[j]]) tp++;
                else fp++;
            }
            if (tp > tpBefore) sum += (tp - tpBefore) * ((double) tp / (tp + fp));
            i = j;
        }
        return sum / positives; // divided once: a perfect ranking is exactly 1
    }

    private static boolean sameScore(double a, double b) {
        return Double.compare(a, b) == 0 || a == b; // 0.0 and -0.0 are one score
    }

    private static int[] descending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        // -0.0 and 0.0 compare apart under Double.compare; adding 0.0 makes them one value.
        Arrays.sort(
                order,
                Comparator.comparingDouble((Integer i) -> scores[i] + 0.0).reversed());
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private static long count(boolean[] values) {
        long n = 0;
        for (boolean v : values) if (v) n++;
        return n;
    }
}
