package io.backprop.runner.plugins.schedule;

import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.ScheduleProvider;
import java.util.List;

public final class CosineScheduleProvider implements ScheduleProvider {
    @Override
    public String name() {
        return "cosine";
    }

    @Override
    public String description() {
        return "cosine annealing from the full learning rate at the first epoch to min_factor of it at max_epochs";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.positive("min_factor", 0.01, 1, "the share of the rate left at the last epoch"));
    }

    @Override
    public LearningRateSchedule create(Params params) {
        double min = params.getDouble("min_factor");
        return (epoch, maxEpochs) ->
                maxEpochs == 1 ? 1 : min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / (maxEpochs - 1)));
    }
}
