package io.backprop.runner.plugins.preprocess;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Preprocessor;
import java.util.Map;

/**
 * A per-column {@code (x - shift) / scale}, where fitting decides shift and scale; a column whose scale comes out 0
 * (constant in training) is only shifted. One-hot and missing-indicator inputs keep their 0 and 1 (shift 0, scale 1)
 * unless the {@code one_hot} parameter asks for them to be scaled too.
 */
abstract class ColumnAffine implements Preprocessor {
    private final String shiftName;
    private final String scaleName;
    protected double[] shift;
    protected double[] scale;
    private final boolean scaleCodes;
    private boolean[] codes;

    ColumnAffine(String shiftName, String scaleName, boolean scaleCodes) {
        this.shiftName = shiftName;
        this.scaleName = scaleName;
        this.scaleCodes = scaleCodes;
    }

    /** The parameter that standardize and min-max share. */
    static ParamSpec oneHotParameter() {
        return ParamSpec.bool(
                "one_hot",
                false,
                "also rescale one-hot category and missing-indicator inputs (default: they stay 0 and 1)");
    }

    @Override
    public final void codeInputs(boolean[] codes) {
        this.codes = codes.clone();
    }

    /** Sets {@link #shift} and {@link #scale} for every column. */
    abstract void fitColumns(double[] x, int rows, int cols);

    @Override
    public final void fit(double[] x, int rows, int cols) {
        fitColumns(x, rows, cols);
        if (codes == null || scaleCodes) return;
        for (int c = 0; c < Math.min(cols, codes.length); c++) {
            if (codes[c]) {
                shift[c] = 0;
                scale[c] = 1;
            }
        }
    }

    @Override
    public final void apply(double[] x, int rows, int cols) {
        if (shift == null || shift.length != cols) {
            throw new IllegalStateException(
                    "fitted for " + (shift == null ? "no" : shift.length) + " columns, given " + cols);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0, o = r * cols; c < cols; c++) {
                x[o + c] = scale[c] == 0 ? x[o + c] - shift[c] : (x[o + c] - shift[c]) / scale[c];
            }
        }
    }

    @Override
    public final Map<String, double[]> state() {
        return Map.of(shiftName, shift.clone(), scaleName, scale.clone());
    }

    @Override
    public final void restore(Map<String, double[]> state) {
        double[] s = state.get(shiftName);
        double[] k = state.get(scaleName);
        if (s == null || k == null || s.length != k.length) {
            throw new IllegalArgumentException("needs '" + shiftName + "' and '" + scaleName + "' of one length");
        }
        shift = s.clone();
        scale = k.clone();
    }
}
