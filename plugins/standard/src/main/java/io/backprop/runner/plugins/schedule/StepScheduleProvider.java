package io.backprop.runner.plugins.schedule;

import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.ScheduleProvider;
import java.util.List;

public final class StepScheduleProvider implements ScheduleProvider {
    @Override
    public String name() {
        return "step";
    }

    @Override
    public String description() {
        return "multiplies the learning rate by factor every so many epochs";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer("every", 10L, 1, Integer.MAX_VALUE, "epochs between steps"),
                ParamSpec.positive("factor", 0.5, 1, "what each step multiplies the rate by"));
    }

    @Override
    public LearningRateSchedule create(Params params) {
        int every = params.getInt("every");
        double factor = params.getDouble("factor");
        return (epoch, maxEpochs) -> Math.pow(factor, (epoch - 1) / every);
    }
}
