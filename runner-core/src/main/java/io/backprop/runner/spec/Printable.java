package io.backprop.runner.spec;

/** Text from the user (a path, a name) shown inside a single line: a message, a comment, a header. */
public final class Printable {
    private Printable() {}

    /**
     * {@code s} with every line break and other control character written as an escape ({@code \n}, {@code \r},
     * {@code \t}, {@code \u0085}), so it can neither end the line it is in nor start one of its own. YAML 1.1 also
     * breaks lines at U+0085, U+2028 and U+2029.
     */
    public static String oneLine(String s) {
        var out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')
                        out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }
}
