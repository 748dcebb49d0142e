package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;
import java.util.SplittableRandom;

public final class BlobsDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "blobs";
    }

    @Override
    public String description() {
        return "Gaussian blobs around random centres (scikit-learn make_blobs), one class per blob; seeded";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer("samples", 300L, 1, 1_000_000, "points in all, shared evenly by the blobs"),
                ParamSpec.integer("classes", 3L, 2, 100, "blobs, one per class"),
                ParamSpec.integer("features", 2L, 1, 10_000, "dimensions"),
                ParamSpec.positive("std", 1.0, 1000, "each blob's standard deviation"),
                ParamSpec.positive("box", 10.0, 1e6, "centres are drawn uniformly from [-box, box] per dimension"));
    }

    @Override
    public DataSource create(Params params) {
        int samples = params.getInt("samples");
        int classes = params.getInt("classes");
        int features = params.getInt("features");
        double std = params.getDouble("std");
        double box = params.getDouble("box");
        return context -> {
            var random = new SplittableRandom(context.seed());
            double[][] centres = new double[classes][features];
            for (double[] c : centres) for (int d = 0; d < features; d++) c[d] = box * (2 * random.nextDouble() - 1);
            var data = new Generated(features, classes);
            for (int i = 0; i < samples; i++) {
                int k = i % classes;
                double[] x = new double[features];
                for (int d = 0; d < features; d++) x[d] = centres[k][d] + std * random.nextGaussian();
                data.add(k, x);
            }
            return data.classification();
        };
    }
}
