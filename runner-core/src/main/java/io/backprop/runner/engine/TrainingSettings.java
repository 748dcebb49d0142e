package io.backprop.runner.engine;

/**
 * How a {@link Trainer} trains, apart from its parts (network, cost, optimizer, schedule, rules).
 *
 * @param l2        lambda in {@code C + lambda/2 * sum(W^2)}; biases are not regularised
 * @param maxEpochs the hard cap on epochs, at least 1
 * @param shuffle   whether each epoch visits the examples in a new order drawn from the seed
 * @param seed      the master seed the shuffle and dropout streams derive from
 * @param threads   threads the products are split across; the results are the same bits whatever the number
 * @param clipNorm  global-norm gradient clipping: where the norm over every gradient exceeds it, all are scaled down
 *                  to it before the step; 0 for none
 */
public record TrainingSettings(double l2, int maxEpochs, boolean shuffle, long seed, int threads, double clipNorm) {
    public TrainingSettings {
        if (!(l2 >= 0) || Double.isInfinite(l2)) throw new IllegalArgumentException("l2 " + l2);
        if (maxEpochs < 1) throw new IllegalArgumentException("maxEpochs < 1: " + maxEpochs);
        if (threads < 1) throw new IllegalArgumentException("threads < 1: " + threads);
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) throw new IllegalArgumentException("clipNorm " + clipNorm);
    }

    /** No L2, shuffled, one thread, no clipping. */
    public static TrainingSettings of(int maxEpochs, long seed) {
        return new TrainingSettings(0, maxEpochs, true, seed, 1, 0);
    }

    public TrainingSettings withL2(double l2) {
        return new TrainingSettings(l2, maxEpochs, shuffle, seed, threads, clipNorm);
    }

    public TrainingSettings withShuffle(boolean shuffle) {
        return new TrainingSettings(l2, maxEpochs, shuffle, seed, threads, clipNorm);
    }

    public TrainingSettings withThreads(int threads) {
        return new TrainingSettings(l2, maxEpochs, shuffle, seed, threads, clipNorm);
    }

    public TrainingSettings withClipNorm(double clipNorm) {
        return new TrainingSettings(l2, maxEpochs, shuffle, seed, threads, clipNorm);
    }
}
