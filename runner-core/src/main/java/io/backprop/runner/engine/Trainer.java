package io.backprop.runner.engine;

import io.backprop.runner.engine.Outcome.Status;
import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Optimizer;
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
    private final List<NamedRule> rules;
    private final double l2;
    private final int maxEpochs;
    private final boolean shuffle;
    private final long seed;
    private int threads = 1;
    private StopRequest stop = new StopRequest();

    public Trainer(Network network, Cost cost, Optimizer optimizer, LearningRateSchedule schedule, List<NamedRule> rules,
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
     * is measured once and reported under both names). Where a rule asks for it, the network ends with the weights
     * of the epoch that was best by that rule's metric.
     */
    public Outcome train(Dataset train, Dataset validation, TrainingListener listener) {
        return train(train, validation, listener, null, 0, c -> { });
    }

    /** Trains on {@code threads} threads (1 unless set); the results are the same bits whatever the number. */
    public Trainer threads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads < 1: " + threads);
        this.threads = threads;
        return this;
    }

    /** Stops at the end of the epoch in which {@code stop} is requested, with status interrupted. */
    public Trainer stopOn(StopRequest stop) {
        this.stop = java.util.Objects.requireNonNull(stop, "stop is null");
        return this;
    }

    /** Where checkpoints go. */
    public interface CheckpointSink {
        void save(Checkpoint checkpoint);
    }

    /**
     * As {@link #train(Dataset, Dataset, TrainingListener)}, saving a checkpoint every {@code checkpointEvery} epochs
     * (0: never), and, with {@code resume}, going on from a checkpoint: {@code history} holds the metrics of the epochs
     * it covers, from which the stopping rules' state is rebuilt; the random streams are replayed from the seed.
     */
    public Outcome train(Dataset train, Dataset validation, TrainingListener listener, Resume resume, int checkpointEvery,
                         CheckpointSink sink) {
        // The network keeps the closed workers: it then runs every part on the calling thread, through the same
        // code as in training, which the JIT has compiled (code for one thread alone would start out slow).
        try (var workers = new Workers(threads)) {
            network.useWorkers(workers);
            return trainOn(train, validation, listener, resume, checkpointEvery, sink, workers);
        }
    }

    private Outcome trainOn(Dataset train, Dataset validation, TrainingListener listener, Resume resume, int checkpointEvery,
                            CheckpointSink sink, Workers workers) {
        int n = train.rows();
        int batch = network.maxBatch();
        int in = train.inputs();
        int out = train.outputs();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double[] xb = new double[batch * in];
        double[] yb = new double[batch * out];
        SplittableRandom shuffling = Seeds.stream(seed, "shuffle");
        SplittableRandom dropping = Seeds.stream(seed, "dropout");
        boolean dropout = network.hasDropout();
        int[] lengths = new int[network.layers() * 2];
        for (int l = 0; l < network.layers(); l++) {
            lengths[2 * l] = network.w[l].length;
            lengths[2 * l + 1] = network.b[l].length;
        }
        optimizer.prepare(lengths);
        var update = new ParameterUpdate(network, optimizer);
        var threadChoice = new ThreadChoice(workers);
        var gather = new BatchGather(train, order, xb, yb, Products.splits(batch, in, network.units(0)));
        int firstEpoch = 1;
        if (resume != null) {
            Checkpoint c = resume.checkpoint();
            for (int l = 0; l < network.layers(); l++) {
                copy(c.weights()[l], network.w[l]);
                copy(c.biases()[l], network.b[l]);
            }
            List<double[]> state = optimizer.state();
            if (state.size() != c.optimizerState().size()) throw new IllegalStateException("the checkpoint's optimizer state does not fit");
            for (int i = 0; i < state.size(); i++) copy(c.optimizerState().get(i), state.get(i));
            firstEpoch = c.epoch() + 1;
        }
        var evaluator = new Evaluator(network, ClassWeightedCost.unweighted(cost)); // reported losses are unweighted
        double[] trainScore = new double[2];
        double[] validationScore = new double[2];
        String second = train.task() == Dataset.Task.CLASSIFICATION ? "accuracy" : "rmse";
        String monitor = rules.stream().map(r -> r.rule().restoreBestBy()).filter(m -> m != null).findFirst()
                .orElse(validation != null ? "validation_loss" : "train_loss");
        boolean restore = rules.stream().anyMatch(r -> r.rule().restoreBestBy() != null);
        var bestEpoch = new BestEpoch(monitor);
        Snapshot best = restore ? new Snapshot(network) : null;
        int layers = network.layers();
        double[] gradientNorms = new double[layers];
        long[] batchNanos = new long[(n + batch - 1) / batch];

        long started = System.nanoTime() - (resume == null ? 0 : (long) (resume.checkpoint().seconds() * 1e9));
        long examples = resume == null ? 0 : resume.checkpoint().examples();
        long loopNanos = 0;
        EpochMetrics metrics = null;
        Status status = Status.COMPLETED;
        String reason = "max_epochs " + maxEpochs + " reached";
        String stoppedBy = null;
        if (resume != null) {
            // The streams and the rules' state as an uninterrupted run would have them at this point.
            for (int epoch = 1; epoch < firstEpoch; epoch++) {
                if (shuffle) shuffle(order, shuffling);
                for (int start = 0; dropout && start < n; start += batch) network.sampleDropout(Math.min(batch, n - start), dropping);
                EpochMetrics past = resume.history().get(epoch - 1);
                bestEpoch.offer(past);
                for (NamedRule rule : rules) rule.rule().afterEpoch(past);
                metrics = past;
            }
            if (best != null && resume.checkpoint().bestWeights() != null) best.set(resume.checkpoint());
        }
        for (int epoch = firstEpoch; epoch <= maxEpochs; epoch++) {
            long epochStart = System.nanoTime();
            optimizer.scaleLearningRate(schedule.factor(epoch, maxEpochs));
            double learningRate = optimizer.learningRate();
            if (shuffle) shuffle(order, shuffling);
            network.setTraining(dropout);
            java.util.Arrays.fill(gradientNorms, 0);
            for (int start = 0, b = 0; start < n; start += batch, b++) {
                threadChoice.beforeBatch();
                long batchStart = System.nanoTime();
                int rows = Math.min(batch, n - start);
                gather.gather(workers, start, rows);
                if (dropout) network.sampleDropout(rows, dropping);
                network.gradient(cost, xb, yb, rows, l2, update.afterWeightGradient());
                update.apply(workers, gradientNorms);
                batchNanos[b] = System.nanoTime() - batchStart;
                loopNanos += batchNanos[b];
                threadChoice.afterBatch(batchNanos[b]);
            }
            network.setTraining(false);
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
            for (int l = 0; l < layers; l++) {
                values.put("layer_" + l + "_gradient_norm", gradientNorms[l] / batchNanos.length);
                values.put("layer_" + l + "_weight_norm", Math.sqrt(Dense.sumOfSquares(network.w[l], network.w[l].length)));
                values.put("layer_" + l + "_dead_fraction", evaluator.deadFraction(l));
            }
            values.put("seconds", (System.nanoTime() - epochStart) / 1e9);
            metrics = new EpochMetrics(epoch, values);
            listener.epochEnded(metrics, batchNanos);

            if (!Double.isFinite(trainScore[0]) || (validation != null && !Double.isFinite(validationScore[0]))) {
                status = Status.DIVERGED;
                reason = "the loss became " + (Double.isNaN(trainScore[0]) ? "NaN" : "infinite") + " at epoch " + epoch;
                break;
            }
            if (bestEpoch.offer(metrics) && best != null) best.take(network);
            Optional<String> fired = Optional.empty();
            for (NamedRule rule : rules) {
                fired = rule.rule().afterEpoch(metrics);
                if (fired.isPresent()) {
                    stoppedBy = rule.name();
                    break;
                }
            }
            if (fired.isPresent()) {
                status = Status.STOPPED;
                reason = fired.get();
                break;
            }
            boolean interrupted = stop.requested() && epoch < maxEpochs;
            if (checkpointEvery > 0 && epoch < maxEpochs && (epoch % checkpointEvery == 0 || interrupted)) {
                sink.save(new Checkpoint(epoch, examples, seconds(started), network.w, network.b, optimizer.state(),
                        best == null ? null : best.w, best == null ? null : best.b));
            }
            if (interrupted) {
                status = Status.INTERRUPTED;
                reason = stop.reason();
                break;
            }
        }
        int epochs = metrics == null ? 0 : metrics.epoch();
        int keptEpoch = epochs;
        EpochMetrics kept = metrics;
        if (best != null && bestEpoch.epoch > 0) {
            best.restore(network);
            keptEpoch = bestEpoch.epoch;
            kept = bestEpoch.metrics;
        }
        return new Outcome(status, reason, stoppedBy, epochs, bestEpoch.epoch, keptEpoch, metrics, kept, examples,
                seconds(started), loopNanos / 1e9, threadChoice.parallelShare());
    }

    /** The epoch with the best value of a metric so far: losses and RMSE are best low, accuracies high. */
    private static final class BestEpoch {
        private final String monitor;
        private final boolean higherIsBetter;
        int epoch;
        double value = Double.NaN;
        EpochMetrics metrics;

        BestEpoch(String monitor) {
            this.monitor = monitor;
            this.higherIsBetter = monitor.endsWith("accuracy");
        }

        /** Whether {@code m} is the new best. */
        boolean offer(EpochMetrics m) {
            double v = m.get(monitor);
            if (epoch != 0 && !(higherIsBetter ? v > value : v < value)) return false;
            value = v;
            epoch = m.epoch();
            metrics = m;
            return true;
        }
    }

    /** A copy of every weight and bias, in arrays allocated once. */
    private static final class Snapshot {
        private final double[][] w;
        private final double[][] b;

        Snapshot(Network network) {
            w = new double[network.layers()][];
            b = new double[network.layers()][];
            for (int l = 0; l < network.layers(); l++) {
                w[l] = new double[network.w[l].length];
                b[l] = new double[network.b[l].length];
            }
        }

        void take(Network network) {
            for (int l = 0; l < w.length; l++) {
                System.arraycopy(network.w[l], 0, w[l], 0, w[l].length);
                System.arraycopy(network.b[l], 0, b[l], 0, b[l].length);
            }
        }

        void set(Checkpoint c) {
            for (int l = 0; l < w.length; l++) {
                copy(c.bestWeights()[l], w[l]);
                copy(c.bestBiases()[l], b[l]);
            }
        }

        void restore(Network network) {
            for (int l = 0; l < w.length; l++) {
                System.arraycopy(w[l], 0, network.w[l], 0, w[l].length);
                System.arraycopy(b[l], 0, network.b[l], 0, b[l].length);
            }
        }
    }

    private static void copy(double[] from, double[] to) {
        if (from.length != to.length) throw new IllegalStateException("a checkpoint array of " + from.length + " values for " + to.length);
        System.arraycopy(from, 0, to, 0, to.length);
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
