package io.backprop.runner.setup;

import io.backprop.runner.plugin.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Held-out splits of a data set, stratified by class so each part keeps the class proportions. */
final class Splits {
    private Splits() {}

    /**
     * Row indices for each of {@code fractions.length} held-out parts, then one more part with the rest; each part
     * in source order. Within each class (one group for regression) rows are shuffled from {@code random} and
     * {@code round(fraction * class size)} go to each part.
     */
    static int[][] stratified(Dataset data, double[] fractions, SplittableRandom random) {
        var groups = new TreeMap<Integer, List<Integer>>();
        for (int r = 0; r < data.rows(); r++) {
            int key = data.task() == Dataset.Task.CLASSIFICATION ? data.label(r) : 0;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<List<Integer>> parts = new ArrayList<>();
        for (int i = 0; i <= fractions.length; i++) parts.add(new ArrayList<>());
        for (List<Integer> group : groups.values()) {
            for (int i = group.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                group.set(i, group.set(j, group.get(i)));
            }
            int from = 0;
            for (int p = 0; p < fractions.length; p++) {
                int take = (int) Math.round(fractions[p] * group.size());
                take = Math.min(take, group.size() - from);
                parts.get(p).addAll(group.subList(from, from + take));
                from += take;
            }
            parts.get(fractions.length).addAll(group.subList(from, group.size()));
        }
        int[][] result = new int[parts.size()][];
        for (int p = 0; p < parts.size(); p++) {
            result[p] = parts.get(p).stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(result[p]);
        }
        return result;
    }
}
