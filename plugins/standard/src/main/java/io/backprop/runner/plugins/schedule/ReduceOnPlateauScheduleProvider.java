package io.backprop.runner.plugins.schedule;

import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.ScheduleProvider;
import java.util.List;

public final class ReduceOnPlateauScheduleProvider implements ScheduleProvider {
    @Override
    public String name() {
        return "reduce-on-plateau";
    }

    @Override
    public String description() {
        return "multiplies the learning rate by factor when the monitored metric has not improved for patience epochs";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.choice(
                        "monitor",
                        Metric.keys(Metric.MONITORABLE),
                        "the metric to watch; losses and RMSE improve downwards, accuracy upwards"),
                ParamSpec.positive("factor", 0.1, 1, "what each reduction multiplies the rate by"),
                ParamSpec.integer(
                        "patience", 10L, 1, Integer.MAX_VALUE, "epochs without improvement before a reduction"),
                ParamSpec.integer(
                        "cooldown",
                        0L,
                        0,
                        Integer.MAX_VALUE,
                        "epochs after a reduction before epochs without improvement count again"),
                ParamSpec.number("min_lr", 0.0, 0, Double.MAX_VALUE, "the learning rate is never reduced below this"));
    }

    @Override
    public LearningRateSchedule create(Params params) {
        return new ReduceOnPlateauSchedule(
                new Metric(params.getString("monitor")),
                params.getDouble("factor"),
                params.getInt("patience"),
                params.getInt("cooldown"),
                params.getDouble("min_lr"));
    }
}
