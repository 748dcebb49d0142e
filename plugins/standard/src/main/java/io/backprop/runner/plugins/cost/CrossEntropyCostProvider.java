package io.backprop.runner.plugins.cost;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.Params;

public final class CrossEntropyCostProvider implements CostProvider {
    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public String description() {
        return "-1/n sum y ln a, for softmax outputs over one-hot classes";
    }

    @Override
    public Cost create(Params params) {
        return new CrossEntropyCost();
    }
}
