package io.backprop.runner.plugins.schedule;

import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.ScheduleProvider;

public final class ConstantScheduleProvider implements ScheduleProvider {
    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String description() {
        return "the optimizer's learning rate throughout";
    }

    @Override
    public LearningRateSchedule create(Params params) {
        return (epoch, maxEpochs) -> 1;
    }
}
