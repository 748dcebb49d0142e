package io.backprop.runner.plugin.table;

import java.util.regex.Pattern;

/**
 * The numbers a data file may hold: plain decimals, as a person or a spreadsheet writes them ({@code 3}, {@code -2.5},
 * {@code +.5}, {@code 5.}, {@code 1e-3}). Not what Java's {@link Double#parseDouble} also takes: hexadecimal
 * ({@code 0x1p3}), type suffixes ({@code 1d}, {@code 1f}), {@code NaN}, {@code Infinity}, or surrounding spaces.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public final class DecimalNumber {
    private static final Pattern PLAIN = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    private DecimalNumber() {}

    /** Whether {@code text} is a plain decimal, whatever its magnitude. */
    public static boolean isPlain(String text) {
        return PLAIN.matcher(text).matches();
    }

    /** Whether {@code text} is a plain decimal within the range of a double. */
    public static boolean isFinite(String text) {
        return isPlain(text) && Double.isFinite(Double.parseDouble(text));
    }
}
