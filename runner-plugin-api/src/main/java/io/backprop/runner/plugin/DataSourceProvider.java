package io.backprop.runner.plugin;

/**
 * Provides {@code data:} plugins.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface DataSourceProvider extends PluginProvider<DataSource> {}
