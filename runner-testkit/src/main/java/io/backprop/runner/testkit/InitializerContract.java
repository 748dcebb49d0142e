package io.backprop.runner.testkit;

import io.backprop.runner.plugin.InitializerProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of an initializer: fills what it is asked to, reproducibly, and gives a start that trains. */
public abstract class InitializerContract extends ProviderContract<InitializerProvider> {
    @Test
    public void fillsExactlyTheRequestedValuesReproducibly() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkInitializer(provider().create(params(values)));
    }

    @Test
    public void givesAStartThatTrains() {
        new TrainingCheck().initializer(provider().create(params(parameterSets().get(0)))).assertLossFalls();
    }
}
