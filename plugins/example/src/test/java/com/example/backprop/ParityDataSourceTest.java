package com.example.backprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.DataSourceProvider;
import io.backprop.runner.testkit.DataSourceContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParityDataSourceTest extends DataSourceContract {
    @Override
    protected DataSourceProvider provider() {
        return new ParityDataSourceProvider();
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return List.of(Map.of(), Map.of("bits", 1L), Map.of("bits", 6L));
    }

    @Test
    void twoBitParityIsXor() {
        var data = provider().create(params(Map.of("bits", 2L))).load(new DataContext(Path.of("."), 0));
        assertEquals(4, data.rows());
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, data.x());
        assertArrayEquals(new double[] {0, 1, 1, 0}, data.y());
    }
}
