package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;
import java.util.SplittableRandom;

public final class CirclesDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "circles";
    }

    @Override
    public String description() {
        return "a circle inside a circle (scikit-learn make_circles), two classes; seeded";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer("samples", 200L, 2, 1_000_000, "points in all, half per circle"),
                ParamSpec.number("noise", 0.05, 0, 10, "standard deviation of Gaussian noise on each coordinate"),
                ParamSpec.positive("factor", 0.5, 0.999, "the inner radius, the outer being 1"));
    }

    @Override
    public DataSource create(Params params) {
        int samples = params.getInt("samples");
        double noise = params.getDouble("noise");
        double factor = params.getDouble("factor");
        return context -> {
            var random = new SplittableRandom(context.seed());
            var data = new Generated(2, 2);
            int outer = samples / 2;
            for (int i = 0; i < samples; i++) {
                boolean isOuter = i < outer;
                int n = isOuter ? outer : samples - outer;
                double t = 2 * Math.PI * (isOuter ? i : i - outer) / n;
                double radius = isOuter ? 1 : factor;
                data.add(
                        isOuter ? 0 : 1,
                        radius * Math.cos(t) + noise * random.nextGaussian(),
                        radius * Math.sin(t) + noise * random.nextGaussian());
            }
            return data.classification();
        };
    }
}
