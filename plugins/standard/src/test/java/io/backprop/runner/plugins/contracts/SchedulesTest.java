package io.backprop.runner.plugins.contracts;

import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.ScheduleProvider;
import io.backprop.runner.plugins.StandardPlugins;
import io.backprop.runner.testkit.ScheduleContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in learning-rate schedule, held to the test kit's contract. */
@ParameterizedClass(name = "{0}")
@MethodSource("providers")
class SchedulesTest extends ScheduleContract {
    @Parameter
    ScheduleProvider provider;

    static Stream<Named<ScheduleProvider>> providers() {
        return StandardPlugins.forContracts(PluginKind.SCHEDULE);
    }

    @Override
    protected ScheduleProvider provider() {
        return provider;
    }

    @Override
    protected List<Map<String, ?>> parameterSets() {
        return StandardPlugins.valid(provider);
    }
}
