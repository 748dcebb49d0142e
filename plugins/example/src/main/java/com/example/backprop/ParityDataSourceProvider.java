package com.example.backprop;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class ParityDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "parity";
    }

    @Override
    public String description() {
        return "n-bit parity: every pattern of n bits, labelled odd or even; XOR is 2-bit parity";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.integer("bits", 3L, 1, 16, "the number of input bits"));
    }

    @Override
    public DataSource create(Params params) {
        int bits = params.getInt("bits");
        return context -> {
            int rows = 1 << bits;
            double[] x = new double[rows * bits];
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) {
                for (int b = 0; b < bits; b++) x[r * bits + b] = (r >> (bits - 1 - b)) & 1;
                y[r] = Integer.bitCount(r) % 2;
            }
            return new Dataset(x, y, rows, bits, 1, Dataset.Task.CLASSIFICATION, List.of("even", "odd"));
        };
    }
}
