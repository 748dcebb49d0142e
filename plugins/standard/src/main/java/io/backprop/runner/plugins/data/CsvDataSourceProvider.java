package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class CsvDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String description() {
        return "a CSV file with a header row: numeric input columns and one label column";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.path("path", null, "the CSV file"),
                ParamSpec.string("label", "", "the label column's name (default: the last column)"),
                ParamSpec.choice("task", List.of("classification", "regression"), "classes become one-hot outputs; regression keeps the number"),
                ParamSpec.string("separator", ",", "the cell separator, one character"));
    }

    @Override
    public DataSource create(Params params) {
        String separator = params.getString("separator");
        if (separator.length() != 1) {
            throw new io.backprop.runner.plugin.PluginException("separator must be one character, got '" + separator + "'");
        }
        return new CsvDataSource(params.getString("path"), params.getString("label"),
                params.getString("task").equals("classification"), separator.charAt(0));
    }
}
