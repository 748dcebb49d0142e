package io.backprop.runner.plugins.preprocess;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.Preprocessor;
import io.backprop.runner.plugin.PreprocessorProvider;
import java.util.List;

public final class StandardizePreprocessorProvider implements PreprocessorProvider {
    @Override
    public String name() {
        return "standardize";
    }

    @Override
    public String description() {
        return "each numeric input column to mean 0 and standard deviation 1, as measured on the training set";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ColumnAffine.oneHotParameter());
    }

    @Override
    public Preprocessor create(Params params) {
        return new ColumnAffine("mean", "std", params.getBoolean("one_hot")) {
            @Override
            void fitColumns(double[] x, int rows, int cols) {
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
