package io.backprop.runner.plugin;

/**
 * Provides {@code training.optimizer:} plugins.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface OptimizerProvider extends PluginProvider<Optimizer> {}
