package io.backprop.runner.testkit;

import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract of an initializer: fills what it is asked to, unit by unit as the runner asks, reproducibly, and gives
 * a start that trains.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class InitializerContract extends ProviderContract<Initializer, InitializerProvider> {
    /**
     * Whether the weights it gives differ between the units of a layer, so that a network started from them can
     * learn (the default); an initializer of equal values (zeros, a constant) is for biases, and its start is not
     * trained.
     */
    protected boolean breaksSymmetry() {
        return true;
    }

    @Test
    public void fillsExactlyTheRequestedValuesReproducibly() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkInitializer(create(values));
    }

    @Test
    public void givesAStartThatTrains() {
        Assumptions.assumeTrue(breaksSymmetry(), "equal weights lock a layer's units together");
        new TrainingCheck().initializer(create(parameterSets().get(0))).assertLossFalls();
    }
}
