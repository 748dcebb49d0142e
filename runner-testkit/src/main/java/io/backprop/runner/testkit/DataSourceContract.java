package io.backprop.runner.testkit;

import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.DataSourceProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of a data source: finite examples of consistent shape, the same for the same seed. Path parameters
 * resolve against {@link #directory()}.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class DataSourceContract extends ProviderContract<DataSource, DataSourceProvider> {
    @Test
    public void loadsFiniteExamplesOfConsistentShapeTheSameForTheSameSeed() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkDataSource(create(values), directory());
    }
}
