package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.ScheduleProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of a learning-rate schedule: a finite factor above 0 for every epoch of runs of any length.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class ScheduleContract extends ProviderContract<LearningRateSchedule, ScheduleProvider> {
    @Test
    public void givesAPositiveFactorForEveryEpoch() {
        for (Map<String, ?> values : parameterSets()) {
            LearningRateSchedule schedule = create(values);
            for (int max : new int[] {1, 2, 100}) {
                for (int epoch = 1; epoch <= max; epoch++) {
                    double f = schedule.factor(epoch, max);
                    assertTrue(Double.isFinite(f) && f > 0, "factor " + f + " at epoch " + epoch + " of " + max);
                }
            }
        }
    }
}
