package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class IdxDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "idx";
    }

    @Override
    public String description() {
        return "IDX image and label files, as MNIST ships them (gzip or not): one input per pixel, one-hot digits";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.path("images", null, "the images file (idx3-ubyte)"),
                ParamSpec.path("labels", null, "the labels file (idx1-ubyte)"),
                ParamSpec.bool("scale", true, "divide pixels by 255, to [0, 1]"),
                ParamSpec.integer(
                        "limit", 0L, 0, Integer.MAX_VALUE, "read only the first this many examples (0: all)"));
    }

    @Override
    public DataSource create(Params params) {
        return new IdxDataSource(
                params.getString("images"),
                params.getString("labels"),
                params.getBoolean("scale"),
                params.getInt("limit"));
    }
}
