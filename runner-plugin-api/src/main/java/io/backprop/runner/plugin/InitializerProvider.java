package io.backprop.runner.plugin;

/** Provides {@code initializer:} and {@code bias_initializer:} plugins. */
public interface InitializerProvider extends PluginProvider<Initializer> {}
