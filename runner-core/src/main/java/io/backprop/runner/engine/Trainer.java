package io.backprop.runner.engine;

import io.backprop.runner.engine.Outcome.Status;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Optimizer;
import io.backprop.runner.plugin.StoppingRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Mini-batch gradient descent: each epoch visits the training examples in an order shuffled from the seed, takes
 * one optimizer step per batch from batch-averaged gradients, then measures the network on the training and
 * validation sets and asks the stopping rules. The same seed, data and settings give bit-identical weights.
 */
public final class Trainer {
    private final Network network;
    private final Cost cost;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final List<StoppingRule> rules;
    private final double l2;
    private final int maxEpochs;
    private final boolean shuffle;
    private final long seed;

    public Trainer(Network network, Cost cost, Optimizer optimizer, LearningRateSchedule schedule, List<StoppingRule> rules,
                   double l2, int maxEpochs, boolean shuffle, long seed) {
        this.network = network;
        this.cost = cost;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.rules = List.copyOf(rules);
        this.l2 = l2;
        this.maxEpochs = maxEpochs;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /**
     * Trains on {@code train}, measuring {@code validation} after each epoch (null for none; the training set itself
     * is measured once and reported under both names).
     */
    public Outcome train(Dataset train, Dataset validation, TrainingListener listener) {
        int n = train.rows();
        int batch = network.maxBatch();
        int in = train.inputs();
        int out = train.outputs();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double[] xb = new double[batch * in];
        double[] yb = new double[batch * out];
        SplittableRandom random = Seeds.stream(seed, "shuffle");
        int[] lengths = new int[network.layers() * 2];
        for (int l = 0; l < network.layers(); l++) {
            lengths[2 * l] = network.w[l].length;
            lengths[2 * l + 1] = network.b[l].length;
        }
        optimizer.prepare(lengths);
        var evaluator = new Evaluator(network, cost);
        double[] trainScore = new double[2];
        double[] validationScore = new double[2];
        String second = train.task() == Dataset.Task.CLASSIFICATION ? "accuracy" : "rmse";

        long started = System.nanoTime();
        long examples = 0;
        int bestEpoch = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        EpochMetrics metrics = null;
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            long epochStart = System.nanoTime();
            optimizer.scaleLearningRate(schedule.factor(epoch, maxEpochs));
            double learningRate = optimizer.learningRate();
            if (shuffle) shuffle(order, random);
            for (int start = 0; start < n; start += batch) {
                int rows = Math.min(batch, n - start);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(train.x(), order[start + r] * in, xb, r * in, in);
                    System.arraycopy(train.y(), order[start + r] * out, yb, r * out, out);
                }
                network.gradient(cost, xb, yb, rows, l2);
                for (int l = 0; l < network.layers(); l++) {
                    optimizer.step(2 * l, network.w[l], network.gw[l], network.gw[l].length);
                    optimizer.step(2 * l + 1, network.b[l], network.gb[l], network.gb[l].length);
                }
            }
            examples += n;

            evaluator.evaluate(train, trainScore);
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("train_loss", trainScore[0]);
            values.put("train_" + second, trainScore[1]);
            if (validation != null) {
                if (validation != train) evaluator.evaluate(validation, validationScore);
                else System.arraycopy(trainScore, 0, validationScore, 0, 2);
                values.put("validation_loss", validationScore[0]);
                values.put("validation_" + second, validationScore[1]);
            }
            if (!Double.isNaN(learningRate)) values.put("learning_rate", learningRate);
            values.put("seconds", (System.nanoTime() - epochStart) / 1e9);
            metrics = new EpochMetrics(epoch, values);
            listener.epochEnded(metrics, network);

            double monitored = validation != null ? validationScore[0] : trainScore[0];
            if (!Double.isFinite(trainScore[0]) || !Double.isFinite(monitored)) {
                return new Outcome(Status.DIVERGED, "the loss became " + (Double.isNaN(trainScore[0]) ? "NaN" : "infinite")
                        + " at epoch " + epoch, epoch, bestEpoch, metrics, examples, seconds(started));
            }
            if (monitored < bestLoss) {
                bestLoss = monitored;
                bestEpoch = epoch;
            }
            for (StoppingRule rule : rules) {
                Optional<String> reason = rule.afterEpoch(metrics);
                if (reason.isPresent()) {
                    return new Outcome(Status.STOPPED, reason.get(), epoch, bestEpoch, metrics, examples, seconds(started));
                }
            }
        }
        return new Outcome(Status.COMPLETED, "max_epochs " + maxEpochs + " reached", maxEpochs, bestEpoch, metrics,
                examples, seconds(started));
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
