package io.backprop.runner.plugins.schedule;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.ScheduleProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A linear warmup, then another built-in schedule: epochs 1 to {@code w = warmup_epochs} run at {@code e / (w + 1)} of
 * the rate, and epoch {@code w + k} at the inner schedule's factor for its epoch k of {@code max_epochs - w}. The
 * inner schedule hears the epochs after the warmup only.
 */
public final class WarmupScheduleProvider implements ScheduleProvider {
    /** The schedules warmup can lead into, by name. */
    private static final List<ScheduleProvider> INNER = List.of(
            new ConstantScheduleProvider(),
            new CosineScheduleProvider(),
            new ExponentialScheduleProvider(),
            new StepScheduleProvider(),
            new ReduceOnPlateauScheduleProvider());

    @Override
    public String name() {
        return "warmup";
    }

    @Override
    public String description() {
        return "raises the learning rate linearly over the first epochs, then follows another schedule";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.integer(
                        "warmup_epochs",
                        5L,
                        1,
                        Integer.MAX_VALUE,
                        "epoch e of the first warmup_epochs runs at e/(warmup_epochs+1) of the rate"),
                ParamSpec.choice(
                        "then", INNER.stream().map(ScheduleProvider::name).toList(), "the schedule after the warmup"),
                ParamSpec.map(
                        "then_params",
                        List.of(),
                        "the parameters of the schedule after the warmup, such as {min_factor: 0.1}"));
    }

    @Override
    public LearningRateSchedule create(Params params) {
        int warmup = params.getInt("warmup_epochs");
        ScheduleProvider provider = INNER.stream()
                .filter(p -> p.name().equals(params.getString("then")))
                .findFirst()
                .orElseThrow();
        LearningRateSchedule inner = provider.create(innerParams(provider, params.getMap("then_params")));
        return new LearningRateSchedule() {
            @Override
            public double factor(int epoch, int maxEpochs) {
                if (epoch <= warmup) return (double) epoch / (warmup + 1);
                return inner.factor(epoch - warmup, Math.max(1, maxEpochs - warmup));
            }

            @Override
            public void afterEpoch(EpochMetrics metrics) {
                if (metrics.epoch() > warmup) inner.afterEpoch(metrics);
            }

            @Override
            public List<double[]> state() {
                return inner.state();
            }

            @Override
            public List<Metric> monitors() {
                return inner.monitors();
            }
        };
    }

    /** The inner schedule's parameters from their text, typed as it declares them. */
    private static Params innerParams(ScheduleProvider provider, Map<String, String> text) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (var entry : text.entrySet()) {
            ParamSpec spec = provider.parameters().stream()
                    .filter(s -> s.name().equals(entry.getKey()))
                    .findFirst()
                    .orElse(null);
            String value = entry.getValue();
            try {
                values.put(
                        entry.getKey(),
                        spec == null
                                ? value
                                : switch (spec.type()) {
                                    case NUMBER -> Double.parseDouble(value);
                                    case INTEGER -> Long.parseLong(value);
                                    case BOOLEAN -> Boolean.parseBoolean(value);
                                    default -> value;
                                });
            } catch (NumberFormatException e) {
                throw new PluginException(
                        "then_params." + entry.getKey() + ": expected " + spec.expected() + ", got " + value);
            }
        }
        try {
            return Params.of(provider, values);
        } catch (IllegalArgumentException e) {
            throw new PluginException("then_params of " + provider.name() + ": " + e.getMessage());
        }
    }
}
