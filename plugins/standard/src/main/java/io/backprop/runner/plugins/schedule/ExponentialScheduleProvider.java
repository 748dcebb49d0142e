package io.backprop.runner.plugins.schedule;

import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.ScheduleProvider;
import java.util.List;

public final class ExponentialScheduleProvider implements ScheduleProvider {
    @Override
    public String name() {
        return "exponential";
    }

    @Override
    public String description() {
        return "multiplies the learning rate by decay every epoch";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.positive("decay", 0.95, 1, "the factor per epoch"));
    }

    @Override
    public LearningRateSchedule create(Params params) {
        double decay = params.getDouble("decay");
        return (epoch, maxEpochs) -> Math.pow(decay, epoch - 1);
    }
}
