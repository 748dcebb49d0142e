package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.InitializerProvider;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.MetricsExporterProvider;
import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.OptimizerProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.StoppingRule;
import io.backprop.runner.plugin.StoppingRuleProvider;
import io.backprop.runner.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The contracts catch what they promise to: each check run on a provider that breaks it, and on one that keeps it. */
class ContractsCatchTest {
    /** Gradient descent with momentum; {@code shared} keeps one velocity for every optimizer it creates. */
    static final class MomentumProvider implements OptimizerProvider {
        private final boolean shared;
        private double[] velocity;

        MomentumProvider(boolean shared) {
            this.shared = shared;
        }

        public String name() {
            return "test-momentum";
        }

        public String description() {
            return "momentum";
        }

        public List<ParamSpec> parameters() {
            return List.of(ParamSpec.number("learning_rate", 0.1, 0, 1, "the step"));
        }

        public Optimizer create(Params params) {
            double rate = params.getDouble("learning_rate");
            return new Optimizer() {
                private double[] own;

                public void prepare(int[] lengths) {
                    own = new double[lengths[0]];
                    if (!shared || velocity == null) velocity = own;
                }

                public void step(int slot, double[] w, double[] g, int length) {
                    double[] v = shared ? velocity : own;
                    for (int i = 0; i < length; i++) {
                        v[i] = 0.9 * v[i] - rate * g[i];
                        w[i] += v[i];
                    }
                }
            };
        }
    }

    private static OptimizerContract optimizerContract(OptimizerProvider provider) {
        return new OptimizerContract() {
            protected OptimizerProvider provider() {
                return provider;
            }
        };
    }

    @Test
    void optimizersThatShareStateAcrossCreatesAreCaught() {
        assertThrows(
                AssertionFailedError.class,
                () -> optimizerContract(new MomentumProvider(true)).eachOptimizerCreatedKeepsItsOwnState());
        optimizerContract(new MomentumProvider(false)).eachOptimizerCreatedKeepsItsOwnState();
    }

    /** Elementwise gradient descent at 0.1 that says so, stepping by {@code actual} instead. */
    private static Optimizer claimsPlain(double actual) {
        return new Optimizer() {
            public void step(int slot, double[] w, double[] g, int length) {
                step(slot, w, g, 0, length);
            }

            public boolean elementwise() {
                return true;
            }

            public void step(int slot, double[] w, double[] g, int from, int to) {
                for (int i = from; i < to; i++) w[i] -= actual * g[i];
            }

            public double plainRate() {
                return 0.1;
            }
        };
    }

    @Test
    void anOptimizerThatStepsOtherwiseThanItsPlainRateIsCaught() {
        assertThrows(AssertionFailedError.class, () -> PluginChecks.checkPlainSteps(() -> claimsPlain(0.1000001)));
        PluginChecks.checkPlainSteps(() -> claimsPlain(0.1));
    }

    /** Stops at the third epoch it has seen, counting across rules when {@code shared}. */
    static final class CountingProvider implements StoppingRuleProvider {
        private final boolean shared;
        private int seen;

        CountingProvider(boolean shared) {
            this.shared = shared;
        }

        public String name() {
            return "test-counting";
        }

        public String description() {
            return "stops at the third epoch";
        }

        public StoppingRule create(Params params) {
            int[] own = {0};
            return metrics -> (shared ? ++seen : ++own[0]) >= 3 ? Optional.of("three epochs seen") : Optional.empty();
        }
    }

    private static StoppingRuleContract ruleContract(StoppingRuleProvider provider) {
        return new StoppingRuleContract() {
            protected StoppingRuleProvider provider() {
                return provider;
            }
        };
    }

    @Test
    void stoppingRulesThatCarryStateIntoTheNextCreateAreCaught() {
        assertThrows(
                AssertionFailedError.class,
                () -> ruleContract(new CountingProvider(true)).aRuleCreatedAgainStartsAfresh());
        ruleContract(new CountingProvider(false)).aRuleCreatedAgainStartsAfresh();
    }

    @Test
    void aProviderThatCreatesOnlyOnceIsCaught() {
        var once = new StoppingRuleProvider() {
            private boolean created;

            public String name() {
                return "test-once";
            }

            public String description() {
                return "creates one rule";
            }

            public StoppingRule create(Params params) {
                if (created) throw new IllegalStateException("already created");
                created = true;
                return metrics -> Optional.empty();
            }
        };
        var e = assertThrows(SpecException.class, () -> ruleContract(once).buildsAsOftenAsItIsAsked());
        assertTrue(
                e.getMessage()
                        .contains(
                                "'test-once' (built-in) failed to start: java.lang.IllegalStateException: already created"),
                e.getMessage());
    }

    @Test
    void parametersAreBoundAsARunBindsThemWithItsMessages() {
        var contract = optimizerContract(new MomentumProvider(false));
        assertEquals(0.5, contract.params(Map.of("learning_rate", 0.5)).getDouble("learning_rate"));
        var quoted = assertThrows(SpecException.class, () -> contract.params(Map.of("learning_rate", "0.5")));
        assertEquals(
                "test:1:1: optimizer.learning_rate: expected a number from 0 to 1, got the string '0.5'; write it unquoted: 0.5",
                quoted.problems().get(0).format());
        var unknown = assertThrows(SpecException.class, () -> contract.params(Map.of("learning_rat", 0.5)));
        assertTrue(
                unknown.problems()
                        .get(0)
                        .format()
                        .contains("unknown parameter 'learning_rat'; did you mean 'learning_rate'?"),
                unknown.problems().get(0).format());
    }

    @Test
    void initializersAreAskedAsTheRunnerAsksLayerByLayerWeightsThenBiases() {
        List<String> asked = new ArrayList<>();
        var provider = new InitializerProvider() {
            public String name() {
                return "test-layered";
            }

            public String description() {
                return "fills by layer, as from-model does";
            }

            public Initializer create(Params params) {
                return new Initializer() {
                    public void initialize(double[] values, int length, int fanIn, int fanOut, RandomGenerator random) {
                        throw new AssertionError("the runner asks with the layer");
                    }

                    public void initialize(
                            double[] values,
                            int length,
                            int layer,
                            boolean biases,
                            int fanIn,
                            int fanOut,
                            RandomGenerator random) {
                        asked.add(layer + (biases ? " biases " : " weights ") + length);
                        for (int i = 0; i < length; i++) values[i] = random.nextGaussian();
                    }
                };
            }
        };
        new InitializerContract() {
            protected InitializerProvider provider() {
                return provider;
            }
        }.givesAStartThatTrains();
        assertEquals(
                List.of("0 weights 8", "1 weights 4"),
                asked.stream().filter(a -> a.contains("weights")).toList(),
                "a 2-4-1 network's weights, layer by layer");
        asked.clear();
        PluginChecks.checkInitializer(provider.create(null));
        assertTrue(asked.contains("0 biases 4") && asked.contains("0 weights 12"), asked.toString());
    }

    @Test
    void theExporterCheckLeavesNoFilesBehind() throws Exception {
        List<Path> directories = new ArrayList<>();
        var provider = new MetricsExporterProvider() {
            public String name() {
                return "test-writing";
            }

            public String description() {
                return "writes a file in the run directory";
            }

            public MetricsExporter create(Params params) {
                return new MetricsExporter() {
                    public void open(ExportContext context) throws java.io.IOException {
                        directories.add(context.runDirectory());
                        Files.writeString(context.runDirectory().resolve("metrics.txt"), "loss");
                    }

                    public void close() {}
                };
            }
        };
        new MetricsExporterContract() {
            protected MetricsExporterProvider provider() {
                return provider;
            }
        }.livesThroughARun();
        assertEquals(2, directories.size(), "a run each");
        for (Path dir : directories) assertFalse(Files.exists(dir), dir + " is left behind");
    }
}
