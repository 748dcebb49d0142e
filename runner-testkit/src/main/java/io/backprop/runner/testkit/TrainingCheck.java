package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.engine.Network;
import io.backprop.runner.engine.Trainer;
import io.backprop.runner.engine.TrainingSettings;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.Initializer;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A short training run of a small 2-4-1 network, with the plugin under test in its place.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public final class TrainingCheck {
    private Activation hidden = Reference.tanh();
    private Activation output = Reference.logistic();
    private Cost cost = Reference.squaredError();
    private Optimizer optimizer = Reference.sgd(0.5);
    private Initializer initializer = Reference.gaussian(0.5);
    private Dataset data = Reference.twoClasses();
    private int epochs = 60;

    public TrainingCheck hidden(Activation a) {
        hidden = a;
        return this;
    }

    public TrainingCheck output(Activation a) {
        output = a;
        return this;
    }

    public TrainingCheck cost(Cost c) {
        cost = c;
        return this;
    }

    public TrainingCheck optimizer(Optimizer o) {
        optimizer = o;
        return this;
    }

    public TrainingCheck initializer(Initializer i) {
        initializer = i;
        return this;
    }

    /** Two outputs with one-hot targets instead of one 0/1 output: for softmax outputs and costs made for them. */
    public TrainingCheck oneHot() {
        data = Reference.twoClassesOneHot();
        return this;
    }

    public TrainingCheck data(Dataset d) {
        data = d;
        return this;
    }

    public TrainingCheck epochs(int n) {
        epochs = n;
        return this;
    }

    /** Trains with mini-batches of 4; asserts every loss is finite and the last is below the first. */
    public void assertLossFalls() {
        var network = new Network(data.inputs(), new int[] {4, data.outputs()}, new Activation[] {hidden, output}, 4);
        var random = new SplittableRandom(11);
        for (int l = 0; l < network.layers(); l++) {
            // As the runner does it: a layer's weights unit by unit, then its biases, from one stream.
            double[] byUnit = new double[network.weights(l).length];
            initializer.initialize(byUnit, byUnit.length, l, false, network.fanIn(l), network.units(l), random);
            network.setWeightsByUnit(l, byUnit);
            Reference.zeros()
                    .initialize(
                            network.biases(l),
                            network.biases(l).length,
                            l,
                            true,
                            network.fanIn(l),
                            network.units(l),
                            random);
        }
        List<EpochMetrics> epochsSeen = new ArrayList<>();
        new Trainer(network, cost, optimizer, (e, m) -> 1, List.of(), new TrainingSettings(0, epochs, true, 3, 1, 0))
                .train(data, null, (m, n) -> epochsSeen.add(m));
        for (EpochMetrics m : epochsSeen) {
            assertTrue(
                    Double.isFinite(m.get(Metric.TRAIN_LOSS)),
                    "epoch " + m.epoch() + ": loss " + m.get(Metric.TRAIN_LOSS));
        }
        double first = epochsSeen.get(0).get(Metric.TRAIN_LOSS);
        double last = epochsSeen.get(epochsSeen.size() - 1).get(Metric.TRAIN_LOSS);
        assertTrue(
                last < first,
                "training did not lower the loss: " + first + " -> " + last + " in " + epochs
                        + (epochs == 1 ? " epoch" : " epochs"));
    }
}
