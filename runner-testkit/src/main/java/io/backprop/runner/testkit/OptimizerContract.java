package io.backprop.runner.testkit;

import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.OptimizerProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of an optimizer: it walks down a convex bowl, updates in ranges as whole if it says so, steps as its
 * plain rate says where it gives one, keeps its state to itself, and trains a network.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class OptimizerContract extends ProviderContract<Optimizer, OptimizerProvider> {
    @Test
    public void walksDownAConvexBowl() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkOptimizerDescends(create(values));
    }

    @Test
    public void updatesInRangesAsWholeWhenElementwise() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkElementwiseSteps(() -> create(values));
    }

    @Test
    public void stepsAsItsPlainRateSaysWhereItGivesOne() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkPlainSteps(() -> create(values));
    }

    @Test
    public void eachOptimizerCreatedKeepsItsOwnState() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkOwnState(() -> create(values));
    }

    @Test
    public void trainsASmallNetwork() {
        new TrainingCheck()
                .optimizer(create(parameterSets().get(0)))
                .epochs(200)
                .assertLossFalls();
    }
}
