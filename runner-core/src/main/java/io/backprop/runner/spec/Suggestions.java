package io.backprop.runner.spec;

import static java.util.Comparator.comparingInt;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** "did you mean" hints for mistyped keys and names. */
public final class Suggestions {
    private Suggestions() {}

    /** Up to three known words within a third of their length (at least 1) in edits of what was typed. */
    public static List<String> closest(String typed, Collection<String> known) {
        return known.stream()
                .filter(k -> editDistance(typed, k) <= Math.max(1, k.length() / 3))
                .sorted(comparingInt((String k) -> editDistance(typed, k)).thenComparing(k -> k))
                .limit(3)
                .toList();
    }

    /** {@code "unknown key 'x'; did you mean 'y'? (known: a, b, y)"}, the hint only when there is one. */
    public static String unknown(String what, String typed, Collection<String> known, String listLabel) {
        var sorted = new TreeSet<>(known);
        var hint = closest(typed, sorted);
        var s = new StringBuilder("unknown ").append(what).append(" '").append(typed).append('\'');
        if (!hint.isEmpty()) {
            s.append("; did you mean ");
            for (int i = 0; i < hint.size(); i++) {
                if (i > 0) s.append(i == hint.size() - 1 ? " or " : ", ");
                s.append('\'').append(hint.get(i)).append('\'');
            }
            s.append('?');
        }
        s.append(" (").append(listLabel).append(": ").append(sorted.isEmpty() ? "none" : String.join(", ", sorted)).append(')');
        return s.toString();
    }

    /** Damerau-free Levenshtein distance, case-insensitive. */
    static int editDistance(String a, String b) {
        a = a.toLowerCase();
        b = b.toLowerCase();
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
