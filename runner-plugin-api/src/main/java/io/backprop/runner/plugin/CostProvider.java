package io.backprop.runner.plugin;

/** Provides {@code cost:} plugins. */
public interface CostProvider extends PluginProvider<Cost> {}
