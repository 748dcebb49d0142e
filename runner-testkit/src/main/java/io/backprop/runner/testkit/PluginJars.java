package io.backprop.runner.testkit;

import io.backprop.runner.plugin.CostProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars in tests: compiles provider sources, then writes a jar of the classes, services files and a
 * manifest, as a plugin's build would. The sources and classes are compiled in a temporary directory beside the jar
 * that is deleted again; only the jar is left.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public final class PluginJars {
    private PluginJars() {}

    /**
     * Compiles {@code sources} (fully qualified class name to Java source) against this JVM's class path, then writes
     * {@code jar} holding the classes, {@code services} (services file name to its lines) and, when not null, an
     * Implementation-Version.
     */
    public static Path build(
            Path jar, Map<String, String> sources, Map<String, List<String>> services, String version) {
        return build(jar, sources, services, version, System.getProperty("java.class.path"));
    }

    /** As {@link #build(Path, Map, Map, String)}, compiled against {@code classPath} alone (path-separated). */
    public static Path build(
            Path jar,
            Map<String, String> sources,
            Map<String, List<String>> services,
            String version,
            String classPath) {
        try {
            Path work = Files.createTempDirectory(jar.toAbsolutePath().getParent(), "src");
            try {
                Path classes = Files.createDirectories(work.resolve("classes"));
                List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath, "-proc:none"));
                for (var e : sources.entrySet()) {
                    Path file = work.resolve(e.getKey().replace('.', '/') + ".java");
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, e.getValue());
                    args.add(file.toString());
                }
                if (!sources.isEmpty()) {
                    var errors = new java.io.ByteArrayOutputStream();
                    if (ToolProvider.getSystemJavaCompiler().run(null, null, errors, args.toArray(String[]::new))
                            != 0) {
                        throw new IllegalStateException("plugin sources did not compile:\n" + errors);
                    }
                }
                write(jar, classes, services, version);
            } finally {
                delete(work);
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class path entries (directories or jars) a plugin compiles against: the plugin API and Micrometer. */
    public static String apiClassPath() {
        return Stream.of(CostProvider.class, io.micrometer.core.instrument.MeterRegistry.class)
                .map(c -> {
                    try {
                        return Path.of(c.getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                                .toString();
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .distinct()
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElseThrow();
    }

    private static void write(Path jar, Path classes, Map<String, List<String>> services, String version)
            throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (version != null) manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            for (var e : services.entrySet()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + e.getKey()));
                out.write((String.join("\n", e.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The source of a cost provider named {@code name} in class {@code pkg.Name}; its cost records the context loader. */
    public static String costProvider(String className, String name) {
        int dot = className.lastIndexOf('.');
        return """
                package %s;

                import io.backprop.runner.plugin.*;

                public final class %s implements CostProvider {
                    public static ClassLoader contextLoaderInCreate;
                    public String name() { return "%s"; }
                    public String description() { return "a cost from a jar"; }
                    public Cost create(Params params) {
                        contextLoaderInCreate = Thread.currentThread().getContextClassLoader();
                        return new Cost() {
                            public double loss(double[] a, double[] y, int rows, int cols) { return 0; }
                            public void gradient(double[] a, double[] y, double[] da, int rows, int cols) { }
                        };
                    }
                }
                """.formatted(className.substring(0, dot), className.substring(dot + 1), name);
    }

    /** A jar with one cost provider. */
    public static Path costJar(Path jar, String className, String name, String version) {
        return build(
                jar,
                Map.of(className, costProvider(className, name)),
                Map.of(CostProvider.class.getName(), List.of(className)),
                version);
    }
}
