package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;
import java.util.SplittableRandom;

public final class SineDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "sine";
    }

    @Override
    public String description() {
        return "y = sin(x) for x drawn uniformly from [-pi, pi] times periods, plus noise: a regression; seeded";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer("samples", 200L, 1, 1_000_000, "points"),
                ParamSpec.number("noise", 0.0, 0, 10, "standard deviation of Gaussian noise on y"),
                ParamSpec.positive("periods", 1.0, 100, "how many periods of the sine the inputs span"));
    }

    @Override
    public DataSource create(Params params) {
        int samples = params.getInt("samples");
        double noise = params.getDouble("noise");
        double periods = params.getDouble("periods");
        return context -> {
            var random = new SplittableRandom(context.seed());
            double[] x = new double[samples];
            double[] y = new double[samples];
            for (int i = 0; i < samples; i++) {
                x[i] = Math.PI * periods * (2 * random.nextDouble() - 1);
                y[i] = Math.sin(x[i]) + noise * random.nextGaussian();
            }
            return new Dataset(x, y, samples, 1, 1, Dataset.Task.REGRESSION, List.of());
        };
    }
}
