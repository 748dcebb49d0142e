package io.backprop.runner.plugin;

import io.backprop.runner.spec.Experiment.PluginJar;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Suggestions;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * Every plugin provider the runner can see, by kind and name, with where each came from. Built from the runner's
 * own class path ({@link #builtIn()}) and extended by plugin jars, each in a class loader of its own.
 */
public final class Registry {
    static final String BUILT_IN = "built-in";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final Map<PluginKind<?>, Map<String, Entry>> byKind = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private record Entry(PluginProvider<?> provider, String origin) {}

    private Registry() {
        PluginKind.ALL.forEach(k -> byKind.put(k, new TreeMap<>()));
    }

    /** The providers on the runner's class path. */
    public static Registry builtIn() {
        var registry = new Registry();
        var problems = new Problems();
        for (PluginKind<?> kind : PluginKind.ALL) {
            registry.load(kind, Registry.class.getClassLoader(), null, problems);
        }
        problems.throwIfAny();
        return registry;
    }

    /** Exactly these providers, as built-ins; for tests. */
    public static Registry of(List<? extends PluginProvider<?>> providers) {
        var registry = new Registry();
        var problems = new Problems();
        for (PluginProvider<?> p : providers) {
            PluginKind<?> kind = PluginKind.ALL.stream().filter(k -> k.providerType().isInstance(p)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(p.getClass() + " is of no plugin kind"));
            registry.add(kind, p, BUILT_IN, problems);
        }
        problems.throwIfAny();
        return registry;
    }

    /** This registry plus the providers in {@code jars}; each jar gets its own class loader. */
    public Registry withJars(List<PluginJar> jars) {
        if (jars.isEmpty()) return this;
        var registry = new Registry();
        byKind.forEach((k, m) -> registry.byKind.get(k).putAll(m));
        registry.warnings.addAll(warnings);
        var problems = new Problems();
        for (PluginJar jar : jars) {
            URLClassLoader loader = open(jar, problems);
            if (loader == null) continue;
            int before = registry.size();
            for (PluginKind<?> kind : PluginKind.ALL) registry.load(kind, loader, jar.path().toString(), problems);
            if (registry.size() == before) {
                registry.warnings.add(jar.path() + " provides no plugins (no META-INF/services entry for a provider interface)");
            }
        }
        problems.throwIfAny();
        return registry;
    }

    private static URLClassLoader open(PluginJar jar, Problems problems) {
        Path path = jar.path();
        if (!Files.isRegularFile(path)) {
            problems.add(jar.where(), "no such plugin jar: " + path);
            return null;
        }
        try (var zip = new ZipFile(path.toFile())) {
            zip.size();
        } catch (IOException e) {
            problems.add(jar.where(), "not a jar file: " + path);
            return null;
        }
        try {
            // Parent is the runner's loader, so the plugin sees the same SPI types the runner uses.
            return new URLClassLoader(new URL[] {path.toUri().toURL()}, Registry.class.getClassLoader());
        } catch (MalformedURLException e) {
            problems.add(jar.where(), "not a usable path: " + path);
            return null;
        }
    }

    private void load(PluginKind<?> kind, ClassLoader loader, String jar, Problems problems) {
        Iterator<? extends PluginProvider<?>> it = ServiceLoader.load(kind.providerType(), loader).iterator();
        // One broken provider is reported; the others still load.
        for (int guard = 0; guard < 10_000; guard++) {
            try {
                if (!it.hasNext()) return;
                PluginProvider<?> p = it.next();
                if (jar != null && p.getClass().getClassLoader() != loader) continue; // a built-in seen again through the parent
                add(kind, p, jar == null ? BUILT_IN : jar, problems);
            } catch (ServiceConfigurationError e) {
                warnings.add((jar == null ? "a built-in " + kind : kind + " in " + jar) + " could not be loaded: " + e.getMessage());
            }
        }
    }

    private void add(PluginKind<?> kind, PluginProvider<?> p, String origin, Problems problems) {
        String name = p.name();
        if (name == null || !NAME.matcher(name).matches()) {
            warnings.add(kind + " " + p.getClass().getName() + " (" + origin + ") is skipped: its name '" + name
                    + "' is not kebab-case ([a-z][a-z0-9-]*)");
            return;
        }
        Entry existing = byKind.get(kind).get(name);
        if (existing != null) {
            problems.add(Where.of(origin), "two " + kind + " providers are named '" + name + "': "
                    + describe(existing.provider(), existing.origin()) + " and " + describe(p, origin) + "; remove one");
            return;
        }
        byKind.get(kind).put(name, new Entry(p, origin));
    }

    private static String describe(PluginProvider<?> p, String origin) {
        String where = origin;
        if (origin.equals(BUILT_IN)) {
            var source = p.getClass().getProtectionDomain().getCodeSource();
            where = source == null ? BUILT_IN : source.getLocation().toString();
        }
        return p.getClass().getName() + " in " + where;
    }

    private int size() {
        return byKind.values().stream().mapToInt(Map::size).sum();
    }

    /** The providers of a kind, by name. */
    public <P extends PluginProvider<?>> List<P> providers(PluginKind<P> kind) {
        List<P> list = new ArrayList<>();
        byKind.get(kind).values().forEach(e -> list.add(kind.providerType().cast(e.provider())));
        return Collections.unmodifiableList(list);
    }

    /** "built-in", or the jar the provider came from. */
    public String origin(PluginKind<?> kind, String name) {
        Entry e = byKind.get(kind).get(name);
        if (e == null) throw new IllegalArgumentException("no " + kind + " named " + name);
        return e.origin();
    }

    /** Providers that could not be loaded, and jars that provided nothing: one line each. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /**
     * Finds the provider {@code ref} names and checks its parameters. An unknown name lists the available ones
     * and suggests the closest; every parameter problem is reported at its own place.
     */
    public <T, P extends PluginProvider<T>> Resolved<T> resolve(PluginKind<P> kind, PluginRef ref) {
        Entry e = byKind.get(kind).get(ref.name());
        if (e == null) {
            throw new SpecException(ref.where().problem(
                    Suggestions.unknown(kind.noun(), ref.name(), byKind.get(kind).keySet(), "available")));
        }
        @SuppressWarnings("unchecked")
        PluginProvider<T> provider = (PluginProvider<T>) e.provider();
        Params params = Params.bind(provider, ref.params(), ref.where(), ref.where().path());
        return new Resolved<>(provider, params, ref, e.origin());
    }
}
