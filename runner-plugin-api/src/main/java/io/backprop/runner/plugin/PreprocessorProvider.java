package io.backprop.runner.plugin;

/**
 * Provides {@code data.preprocess:} plugins.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public interface PreprocessorProvider extends PluginProvider<Preprocessor> {}
