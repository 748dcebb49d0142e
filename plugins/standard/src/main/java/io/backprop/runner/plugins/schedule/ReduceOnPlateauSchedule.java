package io.backprop.runner.plugins.schedule;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.LearningRateSchedule;
import io.backprop.runner.plugin.Metric;
import java.util.List;

/**
 * Multiplies the learning rate by {@code factor} once the monitored metric has not improved for {@code patience}
 * epochs, then waits {@code cooldown} epochs before counting again, never going below {@code minLearningRate}. Its
 * state is one array, so that a checkpoint carries it whole.
 */
final class ReduceOnPlateauSchedule implements LearningRateSchedule {
    private static final int FACTOR = 0;
    private static final int BEST = 1;
    private static final int EPOCHS_WITHOUT_GAIN = 2;
    private static final int COOLDOWN_LEFT = 3;
    private static final int SEEN = 4;

    private final Metric monitor;
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minLearningRate;
    /** The factor in force, the best value so far, epochs without improvement, cooldown epochs left, any epoch seen (0/1). */
    private final double[] state = {1, Double.NaN, 0, 0, 0};

    ReduceOnPlateauSchedule(Metric monitor, double factor, int patience, int cooldown, double minLearningRate) {
        this.monitor = monitor;
        this.factor = factor;
        this.patience = patience;
        this.cooldown = cooldown;
        this.minLearningRate = minLearningRate;
    }

    @Override
    public double factor(int epoch, int maxEpochs) {
        return state[FACTOR];
    }

    @Override
    public void afterEpoch(EpochMetrics metrics) {
        double value = metrics.get(monitor);
        boolean better = state[SEEN] == 0 || (monitor.higherIsBetter() ? value > state[BEST] : value < state[BEST]);
        state[SEEN] = 1;
        if (better) {
            state[BEST] = value;
            state[EPOCHS_WITHOUT_GAIN] = 0;
        } else {
            state[EPOCHS_WITHOUT_GAIN]++;
        }
        if (state[COOLDOWN_LEFT] > 0) {
            state[COOLDOWN_LEFT]--;
            state[EPOCHS_WITHOUT_GAIN] = 0;
        }
        if (state[EPOCHS_WITHOUT_GAIN] >= patience) {
            state[FACTOR] = Math.max(state[FACTOR] * factor, minimumFactor(metrics));
            state[COOLDOWN_LEFT] = cooldown;
            state[EPOCHS_WITHOUT_GAIN] = 0;
        }
    }

    /** min_lr as a factor: the configured rate is the one in force divided by the factor in force. */
    private double minimumFactor(EpochMetrics metrics) {
        double rate = metrics.get(Metric.LEARNING_RATE);
        if (minLearningRate == 0 || !(rate > 0)) return 0;
        return Math.min(state[FACTOR], minLearningRate / (rate / state[FACTOR]));
    }

    @Override
    public List<double[]> state() {
        return List.of(state);
    }

    @Override
    public List<Metric> monitors() {
        return List.of(monitor);
    }
}
