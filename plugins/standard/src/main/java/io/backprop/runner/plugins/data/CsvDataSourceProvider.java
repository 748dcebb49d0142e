package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.table.TableSettings;
import java.util.List;

public final class CsvDataSourceProvider implements DataSourceProvider {
    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String description() {
        return "a CSV file with a header row: numeric and categorical input columns, gaps filled, and one label column";
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> own = List.of(
                ParamSpec.path("path", null, "the CSV file"),
                ParamSpec.string("label", "", "the label column's name (default: the last column)"),
                ParamSpec.choice(
                        "task",
                        List.of("classification", "regression"),
                        "classes become one-hot outputs; regression keeps the number"),
                ParamSpec.string("separator", ",", "the cell separator, one character; \\t stands for a tab"));
        return java.util.stream.Stream.concat(own.stream(), TableSettings.parameters().stream())
                .toList();
    }

    @Override
    public DataSource create(Params params) {
        return new CsvDataSource(
                params.getString("path"),
                params.getString("label"),
                params.getString("task").equals("classification"),
                separator(params.getString("separator")),
                TableSettings.of(params));
    }

    /** The separator character; {@code \t} written out (as YAML's plain and single-quoted scalars keep it) is a tab. */
    private static char separator(String text) {
        String separator = text.equals("\\t") ? "\t" : text;
        if (separator.length() != 1 || "\"\r\n".indexOf(separator.charAt(0)) >= 0) {
            throw new PluginException(
                    "separator must be one character other than a quote or a line end (such as ',', ';' or \\t for a tab),"
                            + " got '" + text + "'");
        }
        return separator.charAt(0);
    }
}
