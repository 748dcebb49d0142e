package io.backprop.runner.testkit;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of an activation: backward is the derivative of forward, buffers are respected, it trains. */
public abstract class ActivationContract extends ProviderContract<ActivationProvider> {
    private Activation create(Map<String, ?> values) {
        return provider().create(params(values));
    }

    @Test
    public void backwardIsTheVectorJacobianProductOfForward() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkActivationDerivative(create(values));
    }

    @Test
    public void touchesOnlyTheBatchAndAllowsDeltaInPlace() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkActivationBuffers(create(values));
    }

    @Test
    public void trainsASmallNetworkAsItsHiddenLayer() {
        new TrainingCheck().hidden(create(parameterSets().get(0))).assertLossFalls();
    }
}
