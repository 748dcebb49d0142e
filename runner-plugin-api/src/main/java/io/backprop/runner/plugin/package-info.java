/**
 * The plugin SPI: the runner's only public API. A plugin implements one provider interface per kind
 * ({@link io.backprop.runner.plugin.ActivationProvider}, {@link io.backprop.runner.plugin.InitializerProvider},
 * {@link io.backprop.runner.plugin.CostProvider}, {@link io.backprop.runner.plugin.OptimizerProvider}, {@link io.backprop.runner.plugin.ScheduleProvider},
 * {@link io.backprop.runner.plugin.StoppingRuleProvider}, {@link io.backprop.runner.plugin.DataSourceProvider}, {@link io.backprop.runner.plugin.PreprocessorProvider},
 * {@link io.backprop.runner.plugin.MetricsExporterProvider}) and lists it in
 * {@code META-INF/services/<interface name>}. Interfaces grow only by default methods. Its subpackage
 * {@code io.backprop.runner.plugin.table} (typed table columns, gaps, one-hot encoding) is public too. Every other
 * package of runner-core is internal and may change in any release.
 */
package io.backprop.runner.plugin;
