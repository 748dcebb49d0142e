package io.backprop.runner.plugin;

/**
 * Provides {@code initializer:} and {@code bias_initializer:} plugins.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface InitializerProvider extends PluginProvider<Initializer> {}
