package io.backprop.runner.testkit;

import io.backprop.runner.plugin.OptimizerProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of an optimizer: it walks down a convex bowl, updates in ranges as whole if it says so, and trains a network. */
public abstract class OptimizerContract extends ProviderContract<OptimizerProvider> {
    @Test
    public void walksDownAConvexBowl() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkOptimizerDescends(provider().create(params(values)));
    }

    @Test
    public void updatesInRangesAsWholeWhenElementwise() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkElementwiseSteps(() -> provider().create(params(values)));
    }

    @Test
    public void trainsASmallNetwork() {
        new TrainingCheck().optimizer(provider().create(params(parameterSets().get(0)))).assertLossFalls();
    }
}
