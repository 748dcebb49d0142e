package io.backprop.runner.encoding;

/** A double as a person writes it: {@code 3} rather than {@code 3.0}, otherwise Java's shortest exact form. */
final class DecimalText {
    private DecimalText() {}

    static String of(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
