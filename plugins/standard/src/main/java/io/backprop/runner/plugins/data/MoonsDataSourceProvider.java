package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;
import java.util.SplittableRandom;

public final class MoonsDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "moons";
    }

    @Override
    public String description() {
        return "two interleaving half circles (scikit-learn make_moons), two classes; seeded";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer("samples", 200L, 2, 1_000_000, "points in all, half per moon"),
                ParamSpec.number("noise", 0.1, 0, 10, "standard deviation of Gaussian noise on each coordinate"));
    }

    @Override
    public DataSource create(Params params) {
        int samples = params.getInt("samples");
        double noise = params.getDouble("noise");
        return context -> {
            var random = new SplittableRandom(context.seed());
            var data = new Generated(2, 2);
            int outer = samples / 2;
            int inner = samples - outer;
            for (int i = 0; i < outer; i++) {
                double t = Math.PI * i / Math.max(1, outer - 1);
                data.add(0, Math.cos(t) + noise * random.nextGaussian(), Math.sin(t) + noise * random.nextGaussian());
            }
            for (int i = 0; i < inner; i++) {
                double t = Math.PI * i / Math.max(1, inner - 1);
                data.add(
                        1,
                        1 - Math.cos(t) + noise * random.nextGaussian(),
                        0.5 - Math.sin(t) + noise * random.nextGaussian());
            }
            return data.classification();
        };
    }
}
