package io.backprop.runner.testkit;

import io.backprop.runner.plugin.DataSourceProvider;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of a data source: finite examples of consistent shape, the same for the same seed. */
public abstract class DataSourceContract extends ProviderContract<DataSourceProvider> {
    /** The directory relative paths resolve against, as an experiment file's directory would be. */
    protected Path directory() {
        return Path.of(".");
    }

    @Test
    public void loadsFiniteExamplesOfConsistentShapeTheSameForTheSameSeed() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkDataSource(provider().create(params(values)), directory());
    }
}
