/**
 * The plugin SPI: the runner's only public API. A plugin implements one provider interface per kind
 * ({@link io.backprop.runner.plugin.ActivationProvider}, {@link io.backprop.runner.plugin.InitializerProvider},
 * {@link io.backprop.runner.plugin.CostProvider}, {@link io.backprop.runner.plugin.OptimizerProvider}, {@link io.backprop.runner.plugin.ScheduleProvider},
 * {@link io.backprop.runner.plugin.StoppingRuleProvider}, {@link io.backprop.runner.plugin.DataSourceProvider}, {@link io.backprop.runner.plugin.PreprocessorProvider},
 * {@link io.backprop.runner.plugin.MetricsExporterProvider}) and lists it in
 * {@code META-INF/services/<interface name>}. Interfaces grow only by default methods. Its subpackage
 * {@code io.backprop.runner.plugin.table} (typed table columns and their gaps) is public too. This module,
 * runner-plugin-api, is all a plugin compiles against (scope {@code provided}); every package of runner-core is
 * internal and may change in any release. A plugin jar is loaded in a class loader of its own that sees only these
 * packages, Micrometer ({@code io.micrometer}) and the JDK of the runner: every other class comes from the plugin's
 * own jars first, so a plugin may bundle any library, at any version.
 *
 * <p>Each public type says how stable it is: stable ones change only in ways that keep compiled plugins working;
 * experimental ones may change in any release.
 *
 * @since 0.1
 */
package io.backprop.runner.plugin;
