package io.backprop.runner.plugin;

/** Provides {@code data.preprocess:} plugins. */
public interface PreprocessorProvider extends PluginProvider<Preprocessor> {}
