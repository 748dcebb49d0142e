package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugin.StoppingRuleProvider;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract of a stopping rule: it answers every epoch of a run, and a reason to stop says something. */
public abstract class StoppingRuleContract extends ProviderContract<StoppingRuleProvider> {
    @Test
    public void answersEveryEpochOfARun() {
        for (Map<String, ?> values : parameterSets()) {
            StoppingRule rule = provider().create(params(values));
            for (int epoch = 1; epoch <= 50; epoch++) {
                double loss = 1.0 / epoch;
                var metrics = new EpochMetrics(epoch, Map.of("train_loss", loss, "train_accuracy", 1 - loss / 2,
                        "validation_loss", loss + 0.01 * epoch, "validation_accuracy", 1 - loss, "seconds", 0.01));
                Optional<String> reason = rule.afterEpoch(metrics);
                if (reason.isPresent()) {
                    assertFalse(reason.get().isBlank(), "a rule that stops a run says why");
                    break;
                }
            }
        }
    }
}
