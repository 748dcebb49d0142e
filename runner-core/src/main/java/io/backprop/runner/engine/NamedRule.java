package io.backprop.runner.engine;

import io.backprop.runner.plugin.StoppingRule;
import java.util.Objects;

/** A stopping rule and the plugin name it goes by, for the summary's {@code stopped_by}. */
public record NamedRule(String name, StoppingRule rule) {
    public NamedRule {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(rule, "rule is null");
    }
}
