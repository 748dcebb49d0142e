package io.backprop.runner.plugin;

/**
 * Provides {@code training.schedule:} plugins.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public interface ScheduleProvider extends PluginProvider<LearningRateSchedule> {}
