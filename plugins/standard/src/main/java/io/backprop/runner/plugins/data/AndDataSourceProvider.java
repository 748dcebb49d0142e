package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.Params;

public final class AndDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "and";
    }

    @Override
    public String description() {
        return "the AND truth table: 4 examples, 2 inputs in {0, 1}, 1 output, linearly separable";
    }

    @Override
    public DataSource create(Params params) {
        return TruthTable.of((a, b) -> a & b);
    }
}
