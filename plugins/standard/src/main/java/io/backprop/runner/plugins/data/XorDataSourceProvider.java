package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class XorDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "xor";
    }

    @Override
    public String description() {
        return "the XOR truth table: 4 examples, 2 inputs in {0, 1}, 1 output, not linearly separable";
    }

    @Override
    public DataSource create(Params params) {
        return context -> new Dataset(
                new double[] {0, 0, 0, 1, 1, 0, 1, 1},
                new double[] {0, 1, 1, 0},
                4, 2, 1, Dataset.Task.CLASSIFICATION, List.of("0", "1"));
    }
}
