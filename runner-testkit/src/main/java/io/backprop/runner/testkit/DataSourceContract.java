package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.Dataset;
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

    private Dataset load(Map<String, ?> values, long seed) {
        return provider().create(params(values)).load(new DataContext(directory(), seed));
    }

    @Test
    public void loadsFiniteExamplesOfConsistentShape() {
        for (Map<String, ?> values : parameterSets()) {
            Dataset d = load(values, 1);
            assertTrue(d.rows() >= 1, "no examples");
            for (double v : d.x()) assertTrue(Double.isFinite(v), "an input is not finite");
            for (double v : d.y()) assertTrue(Double.isFinite(v), "a target is not finite");
            if (d.task() == Dataset.Task.CLASSIFICATION) {
                assertEquals(d.outputs() == 1 ? 2 : d.outputs(), d.classes().size(), "one class name per class");
                for (int r = 0; r < d.rows(); r++) {
                    double sum = 0;
                    for (int j = 0; j < d.outputs(); j++) {
                        double v = d.y()[r * d.outputs() + j];
                        assertTrue(v == 0 || v == 1, "classification targets are 0 or 1 (one-hot), got " + v);
                        sum += v;
                    }
                    assertTrue(d.outputs() == 1 || sum == 1, "row " + r + " is not one-hot");
                }
            }
        }
    }

    @Test
    public void theSameSeedGivesTheSameExamples() {
        Dataset a = load(parameterSets().get(0), 42);
        Dataset b = load(parameterSets().get(0), 42);
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.y(), b.y());
    }
}
