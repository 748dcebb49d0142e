package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.Dataset;
import java.util.List;
import java.util.function.IntBinaryOperator;

/** A two-input boolean function as four examples: inputs 00, 01, 10, 11 and the function's value, one 0/1 output. */
final class TruthTable {
    private TruthTable() {}

    static DataSource of(IntBinaryOperator function) {
        double[] y = new double[4];
        for (int r = 0; r < 4; r++) y[r] = function.applyAsInt(r >> 1, r & 1);
        return context -> new Dataset(
                new double[] {0, 0, 0, 1, 1, 0, 1, 1},
                y.clone(),
                4,
                2,
                1,
                Dataset.Task.CLASSIFICATION,
                List.of("0", "1"));
    }
}
