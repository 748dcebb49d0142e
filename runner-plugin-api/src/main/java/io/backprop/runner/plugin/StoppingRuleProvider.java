package io.backprop.runner.plugin;

/**
 * Provides {@code training.stopping:} plugins.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public interface StoppingRuleProvider extends PluginProvider<StoppingRule> {}
