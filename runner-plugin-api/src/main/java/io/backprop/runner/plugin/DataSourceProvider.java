package io.backprop.runner.plugin;

/** Provides {@code data:} plugins. */
public interface DataSourceProvider extends PluginProvider<DataSource> {}
