package io.backprop.runner.plugin;

/** Provides {@code activation:} plugins. */
public interface ActivationProvider extends PluginProvider<Activation> {}
