package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.testkit.PluginChecks;
import io.backprop.runner.testkit.TrainingCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks every provider owes, run over every provider the registry finds: a new plugin needs no new test. */
class ContractsTest {
    static Stream<Named<PluginProvider<?>>> providers() {
        return PluginKind.ALL.stream().flatMap(k -> StandardPlugins.registry().providers(k).stream()
                .map(p -> Named.<PluginProvider<?>>of(k.noun() + " " + p.name(), p)));
    }

    /** Valid values for every parameter: the defaults, and a value in range for each required one. */
    static Map<String, Object> valid(PluginProvider<?> p) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec s : p.parameters()) {
            if (!s.required()) continue;
            values.put(s.name(), switch (s.type()) {
                case INTEGER -> (long) Math.max(s.min(), 1);
                case NUMBER -> Math.max(s.min(), 0) + 0.5;
                case BOOLEAN -> true;
                case STRING -> s.choices().isEmpty() ? "text" : s.choices().get(0);
                case PATH -> "a-file.csv";
                case LIST -> java.util.List.of();
                case MAP -> Map.of();
            });
        }
        return values;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void declaresANameADescriptionAndConsistentParameters(PluginProvider<?> p) {
        PluginChecks.checkDeclaration(p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void isListedInItsServicesFile(PluginProvider<?> p) {
        PluginChecks.checkListedInServices(p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void refusesValuesOutsideItsDeclaredParameters(PluginProvider<?> p) {
        PluginChecks.checkParameterValidation(p, valid(p));
    }

    /** What each kind must do beyond its declaration, and a short training run with it where it takes part in one. */
    /** Providers that need a file (csv, idx, from-model) are built and checked with real files in their own tests. */
    private static boolean needsAFile(PluginProvider<?> p) {
        return p.parameters().stream().anyMatch(s -> s.required() && s.type() == ParamSpec.Type.PATH);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void doesItsJobAndTrains(PluginProvider<?> p) throws java.io.IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(needsAFile(p));
        Object component = p.create(Params.of(p, valid(p)));
        if (component instanceof Activation a) {
            PluginChecks.checkActivationDerivative(a);
            if (!p.name().equals("softmax")) new TrainingCheck().hidden(a).assertLossFalls(); // softmax belongs at the output
        } else if (component instanceof Cost c) {
            var output = StandardPlugins.activations().filter(o -> c.misfit(o.name()) == null).findFirst().orElseThrow();
            var check = new TrainingCheck().output(output.create(Params.defaults(output))).cost(c);
            (output.name().equals("softmax") ? check.oneHot() : check).assertLossFalls();
        } else if (component instanceof Initializer i) {
            PluginChecks.checkInitializer(i);
            if (!p.name().equals("zeros") && !p.name().equals("constant")) new TrainingCheck().initializer(i).assertLossFalls();
        } else if (component instanceof Optimizer o) {
            PluginChecks.checkOptimizerDescends(o);
            new TrainingCheck().optimizer((Optimizer) p.create(Params.of(p, valid(p)))).epochs(200).assertLossFalls();
        } else if (component instanceof io.backprop.runner.plugin.DataSource source && p.parameters().stream().noneMatch(ParamSpec::required)) {
            PluginChecks.checkDataSource(source, java.nio.file.Path.of("."));
        } else if (component instanceof io.backprop.runner.plugin.MetricsExporter) {
            // A fixed port may be taken on a shared machine: any free one will do here.
            var values = new java.util.HashMap<String, Object>(valid(p));
            if (p.parameters().stream().anyMatch(s -> s.name().equals("port"))) values.put("port", 0L);
            PluginChecks.checkExporterLifecycle((io.backprop.runner.plugin.MetricsExporter) p.create(Params.of(p, values)));
        } else if (component instanceof io.backprop.runner.plugin.StoppingRule rule) {
            PluginChecks.checkStoppingRule(rule);
        } else if (component instanceof LearningRateSchedule schedule) {
            for (int epoch = 1; epoch <= 100; epoch++) {
                double f = schedule.factor(epoch, 100);
                assertTrue(Double.isFinite(f) && f > 0, p.name() + " factor " + f + " at epoch " + epoch);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void buildsFromValidParameters(PluginProvider<?> p) {
        org.junit.jupiter.api.Assumptions.assumeFalse(needsAFile(p));
        if (p.create(Params.of(p, valid(p))) == null) throw new AssertionError(p.name() + " created null");
    }
}
