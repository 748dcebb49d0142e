package io.backprop.runner.spec;

import static java.util.Comparator.comparingInt;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** "did you mean" hints for mistyped keys and names. */
public final class Suggestions {
    private Suggestions() {}

    /**
     * Up to three known words near what was typed, closest first: within a third of their length (at least 1) in
     * edits, case and '-' against '_' not counted, or starting with what was typed as a whole part ({@code xavier}
     * for {@code xavier-normal}). A qualified name {@code <plugin id>/<name>} is matched part by part.
     */
    public static List<String> closest(String typed, Collection<String> known) {
        if (typed.contains("/")) return closestQualified(typed, known);
        return known.stream()
                .filter(k -> near(typed, k))
                .sorted(comparingInt((String k) -> distance(typed, k)).thenComparing(k -> k))
                .limit(3)
                .toList();
    }

    /**
     * Qualified names whose name part is near the typed one, those whose plugin id is near too if there are any (a
     * misspelt id), else those of any plugin (an id that is not there at all).
     */
    private static List<String> closestQualified(String typed, Collection<String> known) {
        String id = idOf(typed);
        String name = nameOf(typed);
        var sameName = known.stream()
                .filter(k -> k.contains("/") && near(name, nameOf(k)))
                .toList();
        var sameId = sameName.stream().filter(k -> near(id, idOf(k))).toList();
        boolean idThere = !sameId.isEmpty();
        return (idThere ? sameId : sameName)
                .stream()
                        .sorted(comparingInt(
                                        (String k) -> (idThere ? distance(id, idOf(k)) : 0) + distance(name, nameOf(k)))
                                .thenComparing(k -> k))
                        .limit(3)
                        .toList();
    }

    private static String idOf(String qualified) {
        return qualified.substring(0, qualified.indexOf('/'));
    }

    private static String nameOf(String qualified) {
        return qualified.substring(qualified.indexOf('/') + 1);
    }

    /** Whether {@code known} is a near miss of {@code typed}, as {@link #closest} counts it. */
    public static boolean near(String typed, String known) {
        String t = normalize(typed);
        String k = normalize(known);
        return editDistance(t, k) <= Math.max(1, k.length() / 3) || !t.isEmpty() && k.startsWith(t + "_");
    }

    /** The edit distance with case and '-' against '_' not counted. */
    public static int distance(String typed, String known) {
        return editDistance(normalize(typed), normalize(known));
    }

    private static String normalize(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** {@code "unknown key 'x'; did you mean 'y'? (known: a, b, y)"}, the hint only when there is one. */
    public static String unknown(String what, String typed, Collection<String> known, String listLabel) {
        var sorted = new TreeSet<>(known);
        return "unknown " + what + " '" + typed + "'" + didYouMean(closest(typed, sorted)) + " (" + listLabel + ": "
                + (sorted.isEmpty() ? "none" : String.join(", ", sorted)) + ")";
    }

    /** {@code "; did you mean 'a', 'b' or 'c'?"}, or nothing when there are no hints. */
    public static String didYouMean(List<String> hints) {
        if (hints.isEmpty()) return "";
        var s = new StringBuilder("; did you mean ");
        for (int i = 0; i < hints.size(); i++) {
            if (i > 0) s.append(i == hints.size() - 1 ? " or " : ", ");
            s.append('\'').append(hints.get(i)).append('\'');
        }
        return s.append('?').toString();
    }

    /**
     * Insertions, deletions, substitutions and swaps of two neighbours ("tahn" for "tanh") each count one
     * (optimal string alignment); case-insensitive.
     */
    static int editDistance(String a, String b) {
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
