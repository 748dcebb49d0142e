package com.example.backprop;

import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.testkit.CostContract;
import java.util.List;
import java.util.Map;

class HuberCostTest extends CostContract {
    @Override
    protected CostProvider provider() {
        return new HuberCostProvider();
    }

    /** A small delta puts some residuals on the linear side too. */
    @Override
    protected List<Map<String, ?>> parameterSets() {
        return List.of(Map.of(), Map.of("delta", 0.3));
    }
}
