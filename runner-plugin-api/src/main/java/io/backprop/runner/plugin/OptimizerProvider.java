package io.backprop.runner.plugin;

/** Provides {@code training.optimizer:} plugins. */
public interface OptimizerProvider extends PluginProvider<Optimizer> {}
