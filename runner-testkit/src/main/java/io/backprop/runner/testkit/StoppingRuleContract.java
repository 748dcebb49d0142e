package io.backprop.runner.testkit;

import io.backprop.runner.plugin.StoppingRuleProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of a stopping rule: it answers every epoch of a run, and a reason to stop says something. */
public abstract class StoppingRuleContract extends ProviderContract<StoppingRuleProvider> {
    @Test
    public void answersEveryEpochOfARun() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkStoppingRule(provider().create(params(values)));
    }
}
