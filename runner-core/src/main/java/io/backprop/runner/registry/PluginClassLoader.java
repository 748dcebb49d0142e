package io.backprop.runner.registry;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin (its jar, or the jars of its directory). It shares with the runner only what the two
 * must agree on: the plugin API ({@code io.backprop.runner.plugin} and its subpackages), Micrometer
 * ({@code io.micrometer}) and the JDK. Every other class and resource comes from the plugin's own jars, so a plugin
 * that bundles its own Jackson, SnakeYAML or Guava gets its own version, and the runner's internals (its classes
 * and its dependencies) are not there to clash with, or to be reached by, plugin code.
 *
 * <p>A shared class is taken from the runner first; one the runner lacks (a Micrometer registry it does not ship,
 * say) may come from the plugin. Everything else: the JDK (the platform class loader) first, then the plugin's jars,
 * and nothing from the runner's class path.
 */
final class PluginClassLoader extends URLClassLoader {
    /** The packages (and below) a plugin shares with the runner, besides the JDK. */
    static final List<String> SHARED_PACKAGES = List.of("io.backprop.runner.plugin", "io.micrometer");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader runner;

    /** {@code runner} is the loader the runner's own plugin API and Micrometer classes come from. */
    PluginClassLoader(String name, URL[] jars, ClassLoader runner) {
        super(name, jars, ClassLoader.getPlatformClassLoader());
        this.runner = runner;
    }

    /** Whether a class of this binary name is one the runner shares with its plugins. */
    static boolean isShared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(p -> className.startsWith(p + "."));
    }

    private static boolean isSharedResource(String resource) {
        return SHARED_PACKAGES.stream().anyMatch(p -> resource.startsWith(p.replace('.', '/') + "/"));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && isShared(name)) {
                try {
                    c = runner.loadClass(name);
                } catch (ClassNotFoundException notTheRunners) {
                    c = findClass(name);
                }
            }
            if (c == null) return super.loadClass(name, resolve); // the platform's, else the plugin's own
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            URL url = runner.getResource(name);
            if (url != null) return url;
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (!isSharedResource(name)) return super.getResources(name);
        List<URL> urls = new ArrayList<>(Collections.list(runner.getResources(name)));
        urls.addAll(Collections.list(super.getResources(name)));
        return Collections.enumeration(urls);
    }
}
