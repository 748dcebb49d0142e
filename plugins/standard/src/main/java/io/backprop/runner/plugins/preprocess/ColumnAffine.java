package io.backprop.runner.plugins.preprocess;

import io.backprop.runner.plugin.Preprocessor;
import java.util.Map;

/**
 * A per-column {@code (x - shift) / scale}, where fitting decides shift and scale; a column whose scale comes out 0
 * (constant in training) is only shifted.
 */
abstract class ColumnAffine implements Preprocessor {
    private final String shiftName;
    private final String scaleName;
    protected double[] shift;
    protected double[] scale;

    ColumnAffine(String shiftName, String scaleName) {
        this.shiftName = shiftName;
        this.scaleName = scaleName;
    }

    @Override
    public final void apply(double[] x, int rows, int cols) {
        if (shift == null || shift.length != cols) {
            throw new IllegalStateException("fitted for " + (shift == null ? "no" : shift.length) + " columns, given " + cols);
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
