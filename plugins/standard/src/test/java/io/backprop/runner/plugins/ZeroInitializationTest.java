package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.Network;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.ExperimentReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** All-zero weights give every hidden unit the same inputs and the same gradient: they can never differ. */
class ZeroInitializationTest {
    private static final String EXPERIMENT = """
            seed: %d
            data: {train: xor}
            model:
              layers: [{units: 3, activation: %s}, {units: 1, activation: sigmoid}]
              initializer: zeros
            cost: quadratic
            training:
              optimizer: {name: sgd, learning_rate: 1.0}
              batch_size: 2
              max_epochs: 300
            metrics: {exporters: []}
            """;

    @Test
    void hiddenUnitsStayIdenticalAndXorIsNotLearned() {
        for (String activation : new String[] {"tanh", "sigmoid"}) {
            for (long seed : new long[] {1, 2, 3}) {
                var experiment = ExperimentReader.parse(
                        EXPERIMENT.formatted(seed, activation), "zero.yaml", "zero", Path.of("."));
                Setup setup = Setup.of(experiment, StandardPlugins.registry());
                Network network = setup.network();
                var outcome = setup.trainer(network).train(setup.train(), null, (m, n) -> {});
                double[] w = network.weightsByUnit(0);
                double[] b = network.biases(0);
                double[] v = network.weightsByUnit(1);
                for (int unit = 1; unit < 3; unit++) {
                    assertEquals(w[0], w[unit * 2], activation + ": unit " + unit + " weight 0");
                    assertEquals(w[1], w[unit * 2 + 1], activation + ": unit " + unit + " weight 1");
                    assertEquals(b[0], b[unit], activation + ": unit " + unit + " bias");
                    assertEquals(v[0], v[unit], activation + ": output weight from unit " + unit);
                }
                assertTrue(outcome.last().get("train_accuracy") < 1, activation + " learned XOR with locked units");
            }
        }
    }
}
