package io.backprop.runner.cli;

import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.util.Locale;

/** {@code --precision DIGITS}: significant digits to print; 17 are enough for any double to read back as the same bits. */
final class Precision {
    static final int EXACT = 17;

    private Precision() {}

    /** A {@code --precision} outside 1 to 17, or beside {@code --json} (exact already), is bad input; null (not given) is fine. */
    static void check(Integer digits, boolean json) {
        if (digits != null && json) {
            throw new SpecException(Where.of("--precision")
                    .problem("--json prints every number exact; give one of --precision and --json"));
        }
        if (digits != null && (digits < 1 || digits > EXACT)) {
            throw new SpecException(
                    Where.of("--precision").problem("expected 1 to " + EXACT + " significant digits, got " + digits));
        }
    }

    static String format(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "g", value);
    }
}
