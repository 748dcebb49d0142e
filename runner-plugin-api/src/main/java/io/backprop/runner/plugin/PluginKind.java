package io.backprop.runner.plugin;

import java.util.List;
import java.util.Objects;

/**
 * One kind of plugin: the provider interface {@link java.util.ServiceLoader} looks for, and the word messages use.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @param <P> the provider interface
 * @since 0.1
 */
public final class PluginKind<P extends PluginProvider<?>> {
    public static final PluginKind<PreprocessorProvider> PREPROCESSOR =
            new PluginKind<>("preprocessor", PreprocessorProvider.class);
    public static final PluginKind<ActivationProvider> ACTIVATION =
            new PluginKind<>("activation", ActivationProvider.class);
    public static final PluginKind<InitializerProvider> INITIALIZER =
            new PluginKind<>("initializer", InitializerProvider.class);
    public static final PluginKind<CostProvider> COST = new PluginKind<>("cost", CostProvider.class);
    public static final PluginKind<OptimizerProvider> OPTIMIZER =
            new PluginKind<>("optimizer", OptimizerProvider.class);
    public static final PluginKind<ScheduleProvider> SCHEDULE = new PluginKind<>("schedule", ScheduleProvider.class);
    public static final PluginKind<StoppingRuleProvider> STOPPING_RULE =
            new PluginKind<>("stopping rule", StoppingRuleProvider.class);
    public static final PluginKind<DataSourceProvider> DATA_SOURCE =
            new PluginKind<>("data source", DataSourceProvider.class);
    public static final PluginKind<MetricsExporterProvider> METRICS_EXPORTER =
            new PluginKind<>("metrics exporter", MetricsExporterProvider.class);

    /** Every kind, in the order of an experiment file. */
    public static final List<PluginKind<?>> ALL = List.of(
            DATA_SOURCE,
            PREPROCESSOR,
            ACTIVATION,
            INITIALIZER,
            COST,
            OPTIMIZER,
            SCHEDULE,
            STOPPING_RULE,
            METRICS_EXPORTER);

    private final String noun;
    private final Class<P> providerType;

    private PluginKind(String noun, Class<P> providerType) {
        this.noun = Objects.requireNonNull(noun, "noun is null");
        this.providerType = Objects.requireNonNull(providerType, "providerType is null");
    }

    /** "activation", "stopping rule": as the runner's messages say it. */
    public String noun() {
        return noun;
    }

    /** "an activation", "a cost". */
    public String withArticle() {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    public Class<P> providerType() {
        return providerType;
    }

    @Override
    public String toString() {
        return noun;
    }
}
