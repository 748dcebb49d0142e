package io.backprop.runner.plugin;

/** Provides {@code training.stopping:} plugins. */
public interface StoppingRuleProvider extends PluginProvider<StoppingRule> {}
