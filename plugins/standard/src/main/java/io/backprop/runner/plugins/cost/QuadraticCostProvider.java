package io.backprop.runner.plugins.cost;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.Params;

public final class QuadraticCostProvider implements CostProvider {
    @Override
    public String name() {
        return "quadratic";
    }

    @Override
    public String description() {
        return "mean squared error C = 1/(2n) sum ||a - y||^2";
    }

    @Override
    public Cost create(Params params) {
        return new QuadraticCost();
    }
}
