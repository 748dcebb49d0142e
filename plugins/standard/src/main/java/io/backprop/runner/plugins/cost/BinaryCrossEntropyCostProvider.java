package io.backprop.runner.plugins.cost;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.Params;

public final class BinaryCrossEntropyCostProvider implements CostProvider {
    @Override
    public String name() {
        return "binary-cross-entropy";
    }

    @Override
    public String description() {
        return "-1/n sum [y ln a + (1 - y) ln(1 - a)], for sigmoid outputs (one per yes/no question)";
    }

    @Override
    public Cost create(Params params) {
        return new BinaryCrossEntropyCost();
    }
}
