package io.backprop.runner.plugin;

/** Provides {@code metrics.exporters:} plugins. */
public interface MetricsExporterProvider extends PluginProvider<MetricsExporter> {}
