package io.backprop.runner.spec;

/** A count and its noun, in the singular for one: "1 layer", "2 layers", "3 classes". */
public final class Plural {
    private Plural() {}

    public static String of(long count, String noun) {
        return count + " " + (count == 1 ? noun : plural(noun));
    }

    static String plural(String noun) {
        return noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch") || noun.endsWith("sh")
                ? noun + "es"
                : noun + "s";
    }
}
