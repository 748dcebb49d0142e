package io.backprop.runner.testkit;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.ActivationProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of an activation: backward is the derivative of forward, buffers are respected, it trains.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class ActivationContract extends ProviderContract<Activation, ActivationProvider> {
    /**
     * Whether the activation belongs in a hidden layer (the default); one that only makes sense at the output, as
     * softmax, is trained there instead, over one-hot targets.
     */
    protected boolean fitsAHiddenLayer() {
        return true;
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
    public void trainsASmallNetwork() {
        Activation activation = create(parameterSets().get(0));
        if (fitsAHiddenLayer()) new TrainingCheck().hidden(activation).assertLossFalls();
        else new TrainingCheck().output(activation).oneHot().assertLossFalls();
    }
}
