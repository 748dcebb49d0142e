package io.backprop.runner.plugin;

/** Provides {@code training.schedule:} plugins. */
public interface ScheduleProvider extends PluginProvider<LearningRateSchedule> {}
