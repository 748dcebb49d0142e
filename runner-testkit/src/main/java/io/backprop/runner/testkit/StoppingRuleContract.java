package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugin.StoppingRuleProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of a stopping rule: it answers every epoch of a run, a reason to stop says something, and a rule
 * created for another run starts afresh.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class StoppingRuleContract extends ProviderContract<StoppingRule, StoppingRuleProvider> {
    @Test
    public void answersEveryEpochOfARun() {
        for (Map<String, ?> values : parameterSets()) PluginChecks.checkStoppingRule(create(values));
    }

    @Test
    public void aRuleCreatedAgainStartsAfresh() {
        for (Map<String, ?> values : parameterSets()) {
            StoppingRule first = create(values);
            StoppingRule second = create(values);
            assertEquals(
                    PluginChecks.answers(first),
                    PluginChecks.answers(second),
                    "a second rule, fed the same run after the first, must answer as the first did");
        }
    }
}
