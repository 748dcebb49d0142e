package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;
import java.util.SplittableRandom;

public final class SpiralsDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "spirals";
    }

    @Override
    public String description() {
        return "interleaved spiral arms in the plane, one per class (the classic non-linear problem); seeded";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer("samples", 100L, 1, 1_000_000, "points per class"),
                ParamSpec.integer("classes", 3L, 2, 20, "arms, one per class"),
                ParamSpec.number("noise", 0.2, 0, 10, "standard deviation of the angle noise, in radians"));
    }

    @Override
    public DataSource create(Params params) {
        int samples = params.getInt("samples");
        int classes = params.getInt("classes");
        double noise = params.getDouble("noise");
        return context -> {
            var random = new SplittableRandom(context.seed());
            var data = new Generated(2, classes);
            for (int k = 0; k < classes; k++) {
                for (int i = 0; i < samples; i++) {
                    double r = samples == 1 ? 1 : (double) i / (samples - 1);
                    double t = k * 4 + 4 * r + noise * random.nextGaussian();
                    data.add(k, r * Math.sin(t), r * Math.cos(t));
                }
            }
            return data.classification();
        };
    }
}
