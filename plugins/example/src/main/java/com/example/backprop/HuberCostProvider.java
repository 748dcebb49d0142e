package com.example.backprop;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import java.util.List;

public final class HuberCostProvider implements CostProvider {
    @Override
    public String name() {
        return "huber";
    }

    @Override
    public String description() {
        return "Huber loss: squared error near the target, linear beyond delta, so outliers pull less";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.positive("delta", 1.0, Double.MAX_VALUE, "where the loss turns from quadratic to linear"));
    }

    @Override
    public Cost create(Params params) {
        return new HuberCost(params.getDouble("delta"));
    }
}
