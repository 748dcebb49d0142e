package io.backprop.runner.plugins.preprocess;

import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.Preprocessor;
import io.backprop.runner.plugin.PreprocessorProvider;

public final class StandardizePreprocessorProvider implements PreprocessorProvider {
    @Override
    public String name() {
        return "standardize";
    }

    @Override
    public String description() {
        return "each input column to mean 0 and standard deviation 1, as measured on the training set";
    }

    @Override
    public Preprocessor create(Params params) {
        return new ColumnAffine("mean", "std") {
            @Override
            public void fit(double[] x, int rows, int cols) {
                shift = new double[cols];
                scale = new double[cols];
                for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) shift[c] += x[r * cols + c] / rows;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        double d = x[r * cols + c] - shift[c];
                        scale[c] += d * d / rows;
                    }
                }
                for (int c = 0; c < cols; c++) scale[c] = Math.sqrt(scale[c]);
            }
        };
    }
}
