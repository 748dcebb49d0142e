package io.backprop.runner.registry;

import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.PluginKind;
import java.util.List;

/**
 * What {@code plugins} shows of one provider.
 *
 * @param qualifiedName {@code <plugin id>/<name>}: "builtin/tanh", or the jar's id ("example/swish"); always resolves
 * @param origin        "built-in", or the jar (or plugin directory) it came from
 * @param version       the jar's Implementation-Version; null when it declares none
 * @param shadowed      true when a built-in of the same name keeps the plain name, so only the qualified one reaches it
 */
public record PluginInfo(
        PluginKind<?> kind,
        String name,
        String qualifiedName,
        String description,
        List<ParamSpec> parameters,
        String origin,
        String version,
        boolean shadowed) {}
