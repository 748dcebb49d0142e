package io.backprop.runner.plugins.preprocess;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.Preprocessor;
import io.backprop.runner.plugin.PreprocessorProvider;
import java.util.List;

public final class MinMaxPreprocessorProvider implements PreprocessorProvider {
    @Override
    public String name() {
        return "min-max";
    }

    @Override
    public String description() {
        return "each numeric input column to [0, 1] by the training set's minimum and maximum";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ColumnAffine.oneHotParameter());
    }

    @Override
    public Preprocessor create(Params params) {
        return new ColumnAffine("min", "range", params.getBoolean("one_hot")) {
            @Override
            void fitColumns(double[] x, int rows, int cols) {
                shift = new double[cols];
                scale = new double[cols];
                for (int c = 0; c < cols; c++) {
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int r = 0; r < rows; r++) {
                        min = Math.min(min, x[r * cols + c]);
                        max = Math.max(max, x[r * cols + c]);
                    }
                    shift[c] = min;
                    scale[c] = max - min;
                }
            }
        };
    }
}
