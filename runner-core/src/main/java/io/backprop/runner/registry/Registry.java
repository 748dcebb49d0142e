package io.backprop.runner.registry;

import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.spec.Experiment.PluginLocation;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.Problems;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Suggestions;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every plugin provider the runner can see, by kind and name, with where each came from. Built from the runner's
 * own class path ({@link #builtIn()}) and extended by plugins ({@link #withPlugins}): a jar, or a directory
 * whose jars are plugins each and whose subdirectories are plugins of several jars. Each plugin gets a class
 * loader of its own ({@link PluginClassLoader}) that shares only the plugin API, Micrometer and the JDK with the
 * runner, so that all share the API's types, no plugin sees another, and none sees the runner's internals.
 * Plugin code that the registry calls (a provider's constructor, its declarations, {@link Resolved#create}) runs
 * with the plugin's loader as the thread's context class loader.
 *
 * <p>A name belongs to one provider per kind. A plugin's provider that takes a built-in's name does not replace
 * it: the built-in keeps the name, and the plugin's is reached by its qualified name, {@code <plugin id>/<name>}.
 * Two plugins claiming one name is an error that names both.
 */
public final class Registry {
    static final String BUILT_IN = "built-in";
    static final String BUILT_IN_ID = "builtin";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern VERSION_SUFFIX = Pattern.compile("-\\d[\\w.-]*$");

    private record Entry(PluginProvider<?> provider, String id, String origin, String version, ClassLoader loader) {}

    /** A plugin to load: its id, display origin, and jars. */
    private record Plugin(String id, String origin, List<Path> jars, Where where) {}

    private final Map<PluginKind<?>, Map<String, Entry>> byName = new LinkedHashMap<>();
    private final Map<PluginKind<?>, Map<String, Entry>> byQualifiedName = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<Path> locations = new LinkedHashSet<>();

    private Registry() {
        PluginKind.ALL.forEach(k -> {
            byName.put(k, new TreeMap<>());
            byQualifiedName.put(k, new TreeMap<>());
        });
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
            PluginKind<?> kind = PluginKind.ALL.stream()
                    .filter(k -> k.providerType().isInstance(p))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(p.getClass() + " is of no plugin kind"));
            registry.add(kind, p, null, problems);
        }
        problems.throwIfAny();
        return registry;
    }

    /**
     * This registry plus the plugins at {@code locations} (jars or directories; one named twice loads once). A
     * location that is missing or not a jar is a problem; one that provides nothing, or a provider that fails to
     * load, is a warning, and the rest still load.
     */
    public Registry withPlugins(List<PluginLocation> locations) {
        if (locations.isEmpty()) return this;
        var registry = new Registry();
        PluginKind.ALL.forEach(k -> {
            registry.byName.get(k).putAll(byName.get(k));
            registry.byQualifiedName.get(k).putAll(byQualifiedName.get(k));
        });
        registry.warnings.addAll(warnings);
        registry.locations.addAll(this.locations);
        var problems = new Problems();
        for (PluginLocation location : locations) {
            Path path = location.path().toAbsolutePath().normalize();
            if (!registry.locations.add(path)) continue;
            for (Plugin plugin : registry.plugins(path, location.where(), problems)) registry.load(plugin, problems);
        }
        problems.throwIfAny();
        return registry;
    }

    /** A jar is one plugin; a directory holds one plugin per jar and one per subdirectory of jars. */
    private List<Plugin> plugins(Path path, Where where, Problems problems) {
        if (Files.isRegularFile(path)) {
            if (!isJar(path)) {
                problems.add(where, "not a jar file: " + path);
                return List.of();
            }
            return List.of(new Plugin(id(path), path.toString(), List.of(path), where));
        }
        if (!Files.isDirectory(path)) {
            problems.add(where, "no such plugin jar or directory: " + path);
            return List.of();
        }
        List<Plugin> plugins = new ArrayList<>();
        for (Path entry : list(path)) {
            if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                if (isJar(entry)) plugins.add(new Plugin(id(entry), entry.toString(), List.of(entry), where));
                else problems.add(where, "not a jar file: " + entry);
            } else if (Files.isDirectory(entry)) {
                List<Path> jars = list(entry).stream()
                        .filter(j -> j.toString().endsWith(".jar"))
                        .toList();
                if (!jars.isEmpty())
                    plugins.add(new Plugin(entry.getFileName().toString(), entry.toString(), jars, where));
            }
        }
        if (plugins.isEmpty()) warnings.add("no plugin jars in " + path);
        return plugins;
    }

    private void load(Plugin plugin, Problems problems) {
        URL[] urls = new URL[plugin.jars().size()];
        try {
            for (int i = 0; i < urls.length; i++)
                urls[i] = plugin.jars().get(i).toUri().toURL();
        } catch (MalformedURLException e) {
            problems.add(plugin.where(), "not a usable path: " + plugin.origin());
            return;
        }
        var loader = new PluginClassLoader(plugin.id(), urls, Registry.class.getClassLoader());
        int before = size();
        int warned = warnings.size();
        inContext(loader, () -> {
            for (PluginKind<?> kind : PluginKind.ALL) load(kind, loader, plugin, problems);
            return null;
        });
        if (size() == before && warnings.size() == warned && problems.isEmpty()) {
            warnings.add(plugin.origin() + " provides no plugins: it has no META-INF/services file naming a provider"
                    + " interface of io.backprop.runner.plugin");
        }
    }

    private void load(PluginKind<?> kind, ClassLoader loader, Plugin plugin, Problems problems) {
        Iterator<? extends PluginProvider<?>> it =
                ServiceLoader.load(kind.providerType(), loader).iterator();
        // One broken provider is reported; the others still load.
        for (int guard = 0; guard < 10_000; guard++) {
            try {
                if (!it.hasNext()) return;
                PluginProvider<?> p = it.next();
                if (plugin != null && p.getClass().getClassLoader() != loader)
                    continue; // a class the runner shares, not the plugin's own
                add(kind, p, plugin, problems);
            } catch (ServiceConfigurationError | LinkageError e) {
                warnings.add((plugin == null ? "a built-in " + kind : kind.withArticle() + " in " + plugin.origin())
                        + " could not be loaded: " + e.getMessage());
            }
        }
    }

    private void add(PluginKind<?> kind, PluginProvider<?> p, Plugin plugin, Problems problems) {
        String name = p.name();
        String origin = plugin == null ? BUILT_IN : plugin.origin();
        if (name == null || !NAME.matcher(name).matches()) {
            warnings.add(kind + " " + p.getClass().getName() + " (" + origin + ") is skipped: its name '" + name
                    + "' is not kebab-case ([a-z][a-z0-9-]*)");
            return;
        }
        String id = plugin == null ? BUILT_IN_ID : plugin.id();
        var entry = new Entry(
                p, id, origin, plugin == null ? null : version(p), p.getClass().getClassLoader());
        Entry existing = byName.get(kind).get(name);
        if (existing != null && existing.origin().equals(BUILT_IN) && plugin != null) {
            warnings.add(
                    kind + " '" + name + "' of " + origin + " has a built-in's name: the built-in keeps it; write '"
                            + id + "/" + name + "' to use the plugin's");
        } else if (existing != null) {
            problems.add(
                    plugin == null ? Where.of(BUILT_IN) : plugin.where(),
                    "two " + kind + " providers are named '" + name + "': " + describe(existing) + " and "
                            + describe(entry) + "; remove one");
            return;
        } else {
            byName.get(kind).put(name, entry);
        }
        byQualifiedName.get(kind).put(id + "/" + name, entry);
    }

    private static String describe(Entry e) {
        String where = e.origin();
        if (where.equals(BUILT_IN)) {
            var source = e.provider().getClass().getProtectionDomain().getCodeSource();
            where = source == null ? BUILT_IN : source.getLocation().toString();
        }
        return e.provider().getClass().getName() + " in " + where;
    }

    /** The Implementation-Version of the jar the provider's class came from; null when it declares none. */
    private static String version(PluginProvider<?> p) {
        var source = p.getClass().getProtectionDomain().getCodeSource();
        if (source == null) return null;
        try (var jar = new JarFile(Path.of(source.getLocation().toURI()).toFile())) {
            var manifest = jar.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A jar's plugin id: its file name without ".jar" and without a trailing version ("example-0.1.jar" -> "example"). */
    static String id(Path jar) {
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        return VERSION_SUFFIX.matcher(name).replaceFirst("");
    }

    private static boolean isJar(Path path) {
        try (var jar = new JarFile(path.toFile())) {
            return jar.size() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private int size() {
        return byQualifiedName.values().stream().mapToInt(Map::size).sum();
    }

    /** Runs plugin code with {@code loader} as the thread's context class loader. */
    private static <R> R inContext(ClassLoader loader, Supplier<R> action) {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    /** The providers of a kind reached by their plain names, sorted by name. */
    public <P extends PluginProvider<?>> List<P> providers(PluginKind<P> kind) {
        List<P> list = new ArrayList<>();
        byName.get(kind).values().forEach(e -> list.add(kind.providerType().cast(e.provider())));
        return Collections.unmodifiableList(list);
    }

    /** Every provider of a kind, shadowed ones included, for listings. */
    public List<PluginInfo> list(PluginKind<?> kind) {
        List<PluginInfo> list = new ArrayList<>();
        byQualifiedName.get(kind).forEach((qualified, e) -> {
            var p = e.provider();
            list.add(inContext(
                    e.loader(),
                    () -> new PluginInfo(
                            kind,
                            p.name(),
                            qualified,
                            p.description(),
                            p.parameters(),
                            e.origin(),
                            e.version(),
                            byName.get(kind).get(p.name()) != e)));
        });
        list.sort(java.util.Comparator.comparing(PluginInfo::name).thenComparing(PluginInfo::shadowed));
        return list;
    }

    /** "built-in", or the jar the provider reached by {@code name} came from. */
    public String origin(PluginKind<?> kind, String name) {
        Entry e = byName.get(kind).get(name);
        if (e == null) throw new IllegalArgumentException("no " + kind + " named " + name);
        return e.origin();
    }

    /** Providers that could not be loaded, plugins that provide nothing, names a built-in keeps: one line each. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** The plugin jars and directories loaded, absolute, in loading order. */
    public List<Path> locations() {
        return List.copyOf(locations);
    }

    /** The plain names of a kind, for messages. */
    public Set<String> names(PluginKind<?> kind) {
        return Collections.unmodifiableSet(byName.get(kind).keySet());
    }

    /**
     * The parameter names of the provider of the kind called {@code kind} ({@link PluginKind#noun()}) that {@code name}
     * reaches, plainly or qualified; empty when there is none. For messages, as {@link io.backprop.runner.spec.Schema.PluginParameters}.
     */
    public List<String> parameterNames(String kind, String name) {
        for (PluginKind<?> k : PluginKind.ALL) {
            if (!k.noun().equals(kind)) continue;
            Entry e = name.contains("/")
                    ? byQualifiedName.get(k).get(name)
                    : byName.get(k).get(name);
            if (e != null)
                return e.provider().parameters().stream()
                        .map(io.backprop.runner.plugin.ParamSpec::name)
                        .toList();
        }
        return List.of();
    }

    /**
     * Finds the provider {@code ref} names (plainly, or qualified as {@code <plugin id>/<name>}) and checks its
     * parameters. An unknown name lists the available ones and suggests the closest; every parameter problem is
     * reported at its own place.
     */
    public <T, P extends PluginProvider<T>> Resolved<T> resolve(PluginKind<P> kind, PluginRef ref) {
        return resolve(kind, ref, Path.of(""));
    }

    /** As {@link #resolve(PluginKind, PluginRef)}; path parameters resolve against {@code directory}. */
    public <T, P extends PluginProvider<T>> Resolved<T> resolve(PluginKind<P> kind, PluginRef ref, Path directory) {
        String name = ref.name();
        Entry e = name.contains("/")
                ? byQualifiedName.get(kind).get(name)
                : byName.get(kind).get(name);
        if (e == null) {
            Map<String, Entry> known = name.contains("/") ? byQualifiedName.get(kind) : byName.get(kind);
            throw new SpecException(
                    ref.where().problem(Suggestions.unknown(kind.noun(), name, known.keySet(), "available")));
        }
        @SuppressWarnings("unchecked")
        PluginProvider<T> provider = (PluginProvider<T>) e.provider();
        Function<String, List<String>> takenBy = parameter -> byName.get(kind).values().stream()
                .filter(other -> other != e
                        && other.provider().parameters().stream()
                                .anyMatch(s -> s.name().equals(parameter)))
                .map(other -> other.provider().name())
                .toList();
        var params =
                inContext(e.loader(), () -> ParamBinder.bind(provider, ref.params(), ref.where(), directory, takenBy));
        return new Resolved<>(provider, params, ref, e.origin(), e.version(), e.loader());
    }
}
