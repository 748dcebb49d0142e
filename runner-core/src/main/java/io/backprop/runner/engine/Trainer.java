package io.backprop.runner.engine;

import io.backprop.runner.engine.Outcome.Status;
import io.backprop.runner.engine.Profile.Phase;
import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.RowTask;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Metric;
import io.backprop.runner.plugin.Optimizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Mini-batch gradient descent: each epoch visits the training examples in an order shuffled from the seed, takes
 * one optimizer step per batch from batch-averaged gradients, then measures the network on the training and
 * validation sets and asks the stopping rules. The same seed, data and settings give bit-identical weights.
 *
 * <p>A run is the steps of {@link Run}: {@link Run#replay} (on resume), then per epoch {@link Run#runEpoch} (each batch
 * {@link Run#trainBatch}: forward, backward, step), {@link Run#measure}, {@link Run#decide} and {@link Run#checkpoint}.
 * Given a {@link Profile}, a {@link PhaseClock} times those steps at their boundaries; without one it reads no clock.
 */
public final class Trainer {
    private final Network network;
    private final Cost cost;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final List<NamedRule> rules;
    private final TrainingSettings settings;
    private StopRequest stop = new StopRequest();
    private ClassLoader contextLoader;
    private LongSupplier clock = System::nanoTime;
    private Profile profile;
    private LongSupplier profileClock = System::nanoTime;

    public Trainer(
            Network network,
            Cost cost,
            Optimizer optimizer,
            LearningRateSchedule schedule,
            List<NamedRule> rules,
            TrainingSettings settings) {
        this.network = Objects.requireNonNull(network, "network is null");
        this.cost = Objects.requireNonNull(cost, "cost is null");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer is null");
        this.schedule = Objects.requireNonNull(schedule, "schedule is null");
        this.rules = List.copyOf(rules);
        this.settings = Objects.requireNonNull(settings, "settings is null");
    }

    /**
     * Trains on {@code train}, measuring {@code validation} after each epoch (null for none; the training set itself
     * is measured once and reported under both names). Where a rule asks for it, the network ends with the weights
     * of the epoch that was best by that rule's metric.
     */
    public Outcome train(Dataset train, Dataset validation, TrainingListener listener) {
        return train(train, validation, listener, null, 0, c -> {});
    }

    /** Stops at the end of the epoch in which {@code stop} is requested, with status interrupted. */
    public Trainer stopOn(StopRequest stop) {
        this.stop = Objects.requireNonNull(stop, "stop is null");
        return this;
    }

    /**
     * Runs training, on the calling thread and on the workers, with {@code loader} as the context class loader: the
     * optimizer's, whose step the workers run (by default, the calling thread's own).
     */
    public Trainer contextLoader(ClassLoader loader) {
        this.contextLoader = Objects.requireNonNull(loader, "loader is null");
        return this;
    }

    /** Times the batches on {@code clock} (monotonic nanoseconds; {@link System#nanoTime} by default). */
    Trainer clock(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock is null");
        return this;
    }

    /** Times each epoch's phases into {@code profile} (see {@link Profile}); null, the default, for none. */
    public Trainer profile(Profile profile) {
        return profile(profile, System::nanoTime);
    }

    /** As {@link #profile(Profile)}, on {@code clock}. */
    Trainer profile(Profile profile, LongSupplier clock) {
        this.profile = profile;
        this.profileClock = Objects.requireNonNull(clock, "clock is null");
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
    public Outcome train(
            Dataset train,
            Dataset validation,
            TrainingListener listener,
            Resume resume,
            int checkpointEvery,
            CheckpointSink sink) {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        ClassLoader loader = contextLoader == null ? saved : contextLoader;
        thread.setContextClassLoader(loader);
        try (var workers = new Workers(settings.threads(), loader)) {
            network.useWorkers(workers);
            return new Run(train, validation, listener, workers, checkpointEvery, sink).train(resume);
        } finally {
            network.useWorkers(Workers.callerOnly(settings.threads()));
            thread.setContextClassLoader(saved);
        }
    }

    /** How the epoch loop ended, where it ended before max_epochs. */
    private record Ending(Status status, String reason, String stoppedBy) {}

    /** One call of {@link #train}: its buffers, random streams and counts, allocated once. */
    private final class Run {
        private final Dataset train;
        private final Dataset validation;
        private final TrainingListener listener;
        private final Workers workers;
        private final int checkpointEvery;
        private final CheckpointSink sink;
        private final int[] order;
        private final double[] xb;
        private final double[] yb;
        private final SplittableRandom shuffling;
        private final SplittableRandom dropping;
        private final boolean dropout;
        private final UpdateStrategy update;
        private final PhaseClock phases;
        /** The update's tasks inside backward, timed as update where profiled. */
        private final RowTask[] duringBackward;

        private final ThreadChoice threadChoice;
        private final BatchGather gather;
        private final Evaluator evaluator;
        private final double[] trainScore = new double[2];
        private final double[] validationScore = new double[2];
        private final boolean classification;
        /** Per layer, the dead fraction over the training examples, taken before the validation set is evaluated. */
        private final double[] deadFractions;

        private final BestEpoch bestEpoch;
        private final Snapshot best;
        private final double[] gradientNorms;
        private final long[] batchNanos;
        private long started;
        private long examples;
        private long loopNanos;

        Run(
                Dataset train,
                Dataset validation,
                TrainingListener listener,
                Workers workers,
                int checkpointEvery,
                CheckpointSink sink) {
            this.train = train;
            this.validation = validation;
            this.listener = listener;
            this.workers = workers;
            this.checkpointEvery = checkpointEvery;
            this.sink = sink;
            int n = train.rows();
            int batch = network.maxBatch();
            order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            xb = new double[batch * train.inputs()];
            yb = new double[batch * train.outputs()];
            shuffling = Seeds.stream(settings.seed(), "shuffle");
            dropping = Seeds.stream(settings.seed(), "dropout");
            dropout = network.hasDropout();
            double[][] slots = network.slots();
            int[] lengths = new int[slots.length];
            for (int s = 0; s < slots.length; s++) lengths[s] = slots[s].length;
            optimizer.prepare(lengths);
            update = UpdateStrategy.choose(network, optimizer, settings.clipNorm());
            phases = profile == null ? PhaseClock.off() : new PhaseClock(profileClock, profile);
            duringBackward = phases.nested(update.duringBackward(), Phase.UPDATE);
            threadChoice = new ThreadChoice(
                    workers, network.batchMultiplyAdds(), Runtime.getRuntime().availableProcessors(), clock);
            float[] floatInputs = network.floatInputs();
            gather = new BatchGather(
                    train,
                    order,
                    xb,
                    floatInputs == null ? null : floatCopy(train.x()),
                    floatInputs,
                    yb,
                    Products.splits(batch, train.inputs(), network.units(0)));
            evaluator = new Evaluator(network, ClassWeightedCost.unweighted(cost)); // reported losses are unweighted
            classification = train.task() == Dataset.Task.CLASSIFICATION;
            deadFractions = new double[network.layers()];
            Metric monitor = rules.stream()
                    .map(r -> r.rule().restoreBestBy())
                    .filter(m -> m != null)
                    .findFirst()
                    .map(Metric::new)
                    .orElse(Metric.loss(validation != null));
            bestEpoch = new BestEpoch(monitor);
            best = rules.stream().anyMatch(r -> r.rule().restoreBestBy() != null) ? new Snapshot(network) : null;
            gradientNorms = new double[network.layers()];
            batchNanos = new long[(n + batch - 1) / batch];
        }

        Outcome train(Resume resume) {
            int firstEpoch = resume == null ? 1 : resume.checkpoint().epoch() + 1;
            started = System.nanoTime()
                    - (resume == null ? 0 : (long) (resume.checkpoint().seconds() * 1e9));
            examples = resume == null ? 0 : resume.checkpoint().examples();
            EpochMetrics metrics = resume == null ? null : replay(resume);
            Ending ending = null;
            phases.start(update.duringBackward() != null);
            for (int epoch = firstEpoch; epoch <= settings.maxEpochs() && ending == null; epoch++) {
                long epochStart = System.nanoTime();
                // The steps keep the float32 weights through the epoch and its measurement, which changes none.
                network.keepFloatWeights(true);
                double learningRate;
                network.floatInputsGiven(true);
                try {
                    learningRate = runEpoch(epoch);
                } finally {
                    network.floatInputsGiven(false); // every other forward pass comes in double
                }
                metrics = measure(epoch, learningRate, epochStart);
                network.keepFloatWeights(false);
                phases.lap(Phase.EVALUATION);
                listener.epochEnded(metrics, batchNanos);
                schedule.afterEpoch(metrics);
                ending = decide(metrics);
                if (ending == null || ending.status() == Status.INTERRUPTED) checkpoint(epoch, ending != null);
                phases.endEpoch(epoch);
            }
            return outcome(ending, metrics);
        }

        /**
         * Puts back the checkpoint's weights, optimizer state and schedule state, and brings the random streams, the best
         * epoch and the rules' state to where an uninterrupted run would have them; returns the last replayed epoch's
         * metrics.
         */
        private EpochMetrics replay(Resume resume) {
            Checkpoint c = resume.checkpoint();
            double[][] slots = network.slots();
            if (c.parameters().length != slots.length)
                throw new IllegalStateException("the checkpoint's parameters do not fit");
            for (int s = 0; s < slots.length; s++) copy(c.parameters()[s], slots[s]);
            List<double[]> state = optimizer.state();
            if (state.size() != c.optimizerState().size())
                throw new IllegalStateException("the checkpoint's optimizer state does not fit");
            for (int i = 0; i < state.size(); i++) copy(c.optimizerState().get(i), state.get(i));
            List<double[]> scheduleState = schedule.state();
            if (scheduleState.size() != c.scheduleState().size())
                throw new IllegalStateException("the checkpoint's schedule state does not fit");
            for (int i = 0; i < scheduleState.size(); i++)
                copy(c.scheduleState().get(i), scheduleState.get(i));
            EpochMetrics metrics = null;
            int n = train.rows();
            int batch = network.maxBatch();
            for (int epoch = 1; epoch <= c.epoch(); epoch++) {
                if (settings.shuffle()) shuffle(order, shuffling);
                for (int start = 0; dropout && start < n; start += batch)
                    network.sampleDropout(Math.min(batch, n - start), dropping);
                EpochMetrics past = resume.history().get(epoch - 1);
                bestEpoch.offer(past);
                for (NamedRule rule : rules) rule.rule().afterEpoch(past);
                metrics = past;
            }
            if (best != null && c.bestParameters() != null) best.set(c);
            return metrics;
        }

        /** One pass over the training examples in batches, at the schedule's learning rate; returns that rate. */
        private double runEpoch(int epoch) {
            optimizer.scaleLearningRate(schedule.factor(epoch, settings.maxEpochs()));
            double learningRate = optimizer.learningRate();
            if (settings.shuffle()) shuffle(order, shuffling);
            network.setTraining(dropout);
            Arrays.fill(gradientNorms, 0);
            int n = train.rows();
            int batch = network.maxBatch();
            for (int start = 0, b = 0; start < n; start += batch, b++) {
                threadChoice.beforeBatch();
                trainBatch(start, Math.min(batch, n - start));
                batchNanos[b] = threadChoice.afterBatch();
                loopNanos += batchNanos[b];
            }
            network.setTraining(false);
            examples += n;
            return learningRate;
        }

        /** Examples {@code order[start, start + rows)}: gather, forward, backward, step; each a phase of the profile. */
        private void trainBatch(int start, int rows) {
            phases.lap(Phase.OTHER); // since the last batch: the loop's own work
            gather.gather(workers, start, rows);
            phases.lap(Phase.DATA_COPY);
            if (dropout) network.sampleDropout(rows, dropping);
            network.forward(xb, rows);
            phases.lap(Phase.FORWARD);
            network.backward(cost, xb, yb, rows, settings.l2(), duringBackward);
            phases.lap(Phase.BACKWARD); // less the fused update's time on this thread, which is update's
            update.step(workers, gradientNorms);
            phases.lap(Phase.UPDATE);
        }

        /** The epoch's metrics: losses and accuracy or RMSE on each split, the learning rate, per-layer health, time. */
        private EpochMetrics measure(int epoch, double learningRate, long epochStart) {
            evaluator.evaluate(train, trainScore);
            for (int l = 0; l < network.layers(); l++) deadFractions[l] = evaluator.deadFraction(l);
            Map<String, Double> values = new LinkedHashMap<>();
            put(values, Metric.TRAIN_LOSS, trainScore[0]);
            put(values, Metric.score(false, classification), trainScore[1]);
            if (validation != null) {
                if (validation != train) evaluator.evaluate(validation, validationScore);
                else System.arraycopy(trainScore, 0, validationScore, 0, 2);
                put(values, Metric.VALIDATION_LOSS, validationScore[0]);
                put(values, Metric.score(true, classification), validationScore[1]);
            }
            if (!Double.isNaN(learningRate)) put(values, Metric.LEARNING_RATE, learningRate);
            for (int l = 0; l < network.layers(); l++) {
                List<Slot> slots = network.slots(l);
                double[] w = slots.isEmpty() ? new double[0] : slots.get(0).values();
                put(values, Metric.layerGradientNorm(l), gradientNorms[l] / batchNanos.length);
                put(values, Metric.layerWeightNorm(l), Math.sqrt(Dense.sumOfSquares(w, w.length)));
                put(values, Metric.layerDeadFraction(l), deadFractions[l]);
            }
            put(values, Metric.SECONDS, (System.nanoTime() - epochStart) / 1e9);
            return new EpochMetrics(epoch, values);
        }

        /**
         * Whether the run ends after this epoch: diverged (a loss not finite), stopped (a rule fired) or interrupted (a
         * stop request); null to go on. Keeps the best epoch's weights on the way.
         */
        private Ending decide(EpochMetrics metrics) {
            if (!Double.isFinite(trainScore[0]) || (validation != null && !Double.isFinite(validationScore[0]))) {
                return new Ending(
                        Status.DIVERGED,
                        "the loss became " + (Double.isNaN(trainScore[0]) ? "NaN" : "infinite") + " at epoch "
                                + metrics.epoch(),
                        null);
            }
            if (bestEpoch.offer(metrics) && best != null) best.take(network);
            for (NamedRule rule : rules) {
                Optional<String> fired = rule.rule().afterEpoch(metrics);
                if (fired.isPresent()) return new Ending(Status.STOPPED, fired.get(), rule.name());
            }
            if (stop.requested() && metrics.epoch() < settings.maxEpochs())
                return new Ending(Status.INTERRUPTED, stop.reason(), null);
            return null;
        }

        /** Saves a checkpoint every {@code checkpointEvery} epochs and on an interruption, but never after the last epoch. */
        private void checkpoint(int epoch, boolean interrupted) {
            if (checkpointEvery == 0 || epoch >= settings.maxEpochs() || (epoch % checkpointEvery != 0 && !interrupted))
                return;
            sink.save(new Checkpoint(
                    epoch,
                    examples,
                    seconds(started),
                    network.slots(),
                    optimizer.state(),
                    best == null ? null : best.slots,
                    schedule.state()));
        }

        private static void put(Map<String, Double> values, Metric metric, double value) {
            values.put(metric.key(), value);
        }

        private Outcome outcome(Ending ending, EpochMetrics metrics) {
            Status status = ending == null ? Status.COMPLETED : ending.status();
            String reason = ending == null ? "max_epochs " + settings.maxEpochs() + " reached" : ending.reason();
            int epochs = metrics == null ? 0 : metrics.epoch();
            int keptEpoch = epochs;
            EpochMetrics kept = metrics;
            if (best != null && bestEpoch.epoch > 0) {
                best.restore(network);
                keptEpoch = bestEpoch.epoch;
                kept = bestEpoch.metrics;
            }
            return new Outcome(
                    status,
                    reason,
                    ending == null ? null : ending.stoppedBy(),
                    epochs,
                    bestEpoch.epoch,
                    keptEpoch,
                    metrics,
                    kept,
                    examples,
                    seconds(started),
                    loopNanos / 1e9,
                    threadChoice.parallelShare());
        }
    }

    /** The epoch with the best value of a metric so far: losses and RMSE are best low, accuracies high. */
    private static final class BestEpoch {
        private final Metric monitor;
        int epoch;
        double value = Double.NaN;
        EpochMetrics metrics;

        BestEpoch(Metric monitor) {
            this.monitor = monitor;
        }

        /** Whether {@code m} is the new best. */
        boolean offer(EpochMetrics m) {
            double v = m.get(monitor);
            if (epoch != 0 && !(monitor.higherIsBetter() ? v > value : v < value)) return false;
            value = v;
            epoch = m.epoch();
            metrics = m;
            return true;
        }
    }

    /** A copy of every parameter slot, in arrays allocated once. */
    private static final class Snapshot {
        private final double[][] slots;

        Snapshot(Network network) {
            slots = new double[network.slots().length][];
            for (int s = 0; s < slots.length; s++) slots[s] = new double[network.slots()[s].length];
        }

        void take(Network network) {
            for (int s = 0; s < slots.length; s++)
                System.arraycopy(network.slots()[s], 0, slots[s], 0, slots[s].length);
        }

        void set(Checkpoint c) {
            if (c.bestParameters().length != slots.length)
                throw new IllegalStateException("the checkpoint's best parameters do not fit");
            for (int s = 0; s < slots.length; s++) copy(c.bestParameters()[s], slots[s]);
        }

        void restore(Network network) {
            for (int s = 0; s < slots.length; s++)
                System.arraycopy(slots[s], 0, network.slots()[s], 0, slots[s].length);
        }
    }

    private static void copy(double[] from, double[] to) {
        if (from.length != to.length)
            throw new IllegalStateException("a checkpoint array of " + from.length + " values for " + to.length);
        System.arraycopy(from, 0, to, 0, to.length);
    }

    /** The float copy of a data set's inputs, gathered from in float32: made once, half the size of the doubles. */
    private static float[] floatCopy(double[] x) {
        float[] copy = new float[x.length];
        Dense.toFloat(x, copy, x.length);
        return copy;
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
