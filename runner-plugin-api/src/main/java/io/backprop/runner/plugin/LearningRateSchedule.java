package io.backprop.runner.plugin;

/**
 * How the learning rate changes over a run: a factor on the optimizer's configured rate, per epoch.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public interface LearningRateSchedule {
    /** The factor for epoch {@code epoch} (counting from 1) of a run of at most {@code maxEpochs}; finite and > 0. */
    double factor(int epoch, int maxEpochs);
}
