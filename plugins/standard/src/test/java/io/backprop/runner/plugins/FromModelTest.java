package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.ExperimentReader;
import io.backprop.runner.spec.Problem;
import io.backprop.runner.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm starts: the from-model initializer copies a saved model's weights and biases, or says why it cannot. */
class FromModelTest {
    private static final String MODEL = """
            {"format": "backprop-runner/model", "version": 1, "inputs": 2, "layers": [
              {"units": 2, "weights": [[0.5, -1.5], [2.0, 0.25]], "biases": [0.1, -0.2]},
              {"units": 1, "weights": [[3.0, -4.0]], "biases": [0.7]}]}
            """;

    private static final String EXPERIMENT = """
            data: {train: xor}
            model:
              layers: [{units: UNITS, activation: tanh}, {units: 1, activation: sigmoid}]
              initializer: {name: from-model, path: saved/model.json}
              bias_initializer: {name: from-model, path: saved/model.json}
            cost: quadratic
            training: {optimizer: sgd, max_epochs: 1}
            metrics: {exporters: []}
            """;

    private static Setup setup(Path dir, int units) throws Exception {
        Files.createDirectories(dir.resolve("saved"));
        Files.writeString(dir.resolve("saved/model.json"), MODEL);
        var e = ExperimentReader.parse(EXPERIMENT.replace("UNITS", Integer.toString(units)), "warm.yaml", "warm", dir);
        return Setup.of(e, StandardPlugins.registry());
    }

    @Test
    void copiesEveryLayersWeightsAndBiases(@TempDir Path dir) throws Exception {
        var network = setup(dir, 2).network();
        assertArrayEquals(new double[] {0.5, -1.5, 2.0, 0.25}, network.weightsByUnit(0));
        assertArrayEquals(new double[] {0.1, -0.2}, network.biases(0));
        assertArrayEquals(new double[] {3.0, -4.0}, network.weightsByUnit(1));
        assertArrayEquals(new double[] {0.7}, network.biases(1));
    }

    @Test
    void aLayerOfAnotherShapeIsAProblemAtThatLayer(@TempDir Path dir) {
        var e = assertThrows(SpecException.class, () -> setup(dir, 3));
        assertEquals(
                List.of(
                        "warm.yaml:3:12: model.layers[0]: saved/model.json layer 0 has 2 x 2 weights (units x inputs); this layer has 3 x 2",
                        "warm.yaml:3:42: model.layers[1]: saved/model.json layer 1 has 1 x 2 weights (units x inputs); this layer has 1 x 3"),
                e.problems().stream().map(Problem::format).toList());
    }

    @Test
    void aMissingFileIsAProblemAtTheInitializer(@TempDir Path dir) {
        var e = ExperimentReader.parse(EXPERIMENT.replace("UNITS", "2"), "warm.yaml", "warm", dir);
        var problems = assertThrows(SpecException.class, () -> Setup.of(e, StandardPlugins.registry()))
                .problems();
        assertEquals(
                "warm.yaml:4:23: model.initializer: initializer 'from-model': no such file: saved/model.json (looked for "
                        + dir.resolve("saved/model.json") + ")",
                problems.get(0).format());
    }
}
