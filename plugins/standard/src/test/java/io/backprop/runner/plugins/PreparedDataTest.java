package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.ExperimentReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits and preprocessing as an experiment sets them up: nothing of the held-out sets leaks into training. */
class PreparedDataTest {
    private static final String EXPERIMENT = """
            seed: 4
            data:
              train: {name: csv, path: d.csv}
              validation: VALIDATION
              test: {split: 0.25}
              preprocess: [standardize]
            model:
              layers: [{units: 3, activation: softmax}]
              initializer: zeros
            cost: cross-entropy
            training: {optimizer: sgd, max_epochs: 1}
            metrics: {exporters: []}
            """;

    private static Setup setup(Path dir, String validation) throws Exception {
        var csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 120; i++)
            csv.append(i)
                    .append(',')
                    .append(i * i % 17)
                    .append(',')
                    .append("abc".charAt(i % 3))
                    .append('\n');
        Files.writeString(dir.resolve("d.csv"), csv);
        var e = ExperimentReader.parse(EXPERIMENT.replace("VALIDATION", validation), "p.yaml", "p", dir);
        return Setup.of(e, StandardPlugins.registry());
    }

    private static double mean(Dataset d, int column) {
        double s = 0;
        for (int r = 0; r < d.rows(); r++) s += d.x()[r * d.inputs() + column];
        return s / d.rows();
    }

    @Test
    void standardizeIsFittedOnTheTrainingSplitOnlyAndStratifiedSplitsKeepClasses(@TempDir Path dir) throws Exception {
        Setup setup = setup(dir, "{split: 0.25}");
        assertEquals(60, setup.train().rows());
        assertEquals(30, setup.validation().rows());
        assertEquals(30, setup.test().rows());
        for (Dataset d : new Dataset[] {setup.train(), setup.validation(), setup.test()}) {
            int[] counts = new int[3];
            for (int r = 0; r < d.rows(); r++) counts[d.label(r)]++;
            assertEquals(counts[0], counts[1], "stratified");
            assertEquals(counts[1], counts[2], "stratified");
        }
        assertEquals(0, mean(setup.train(), 0), 1e-12, "the training split is centred exactly");
        assertNotEquals(
                0,
                mean(setup.test(), 0),
                1e-3,
                "the test split is centred with the training split's mean, not its own");
        assertEquals(1, setup.preprocessors().size());
    }

    @Test
    void validationOnTheTrainingSetStaysTheSameSet(@TempDir Path dir) throws Exception {
        Setup setup = setup(dir, "train");
        assertSame(setup.train(), setup.validation());
        assertEquals(90, setup.train().rows());
    }
}
