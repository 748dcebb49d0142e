package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.CostProvider;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginKind;
import io.backprop.runner.plugin.PluginProvider;
import io.backprop.runner.plugin.table.Table;
import io.backprop.runner.registry.PluginInfo;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.spec.Experiment.PluginLocation;
import io.backprop.runner.spec.PluginRef;
import io.backprop.runner.spec.Problem;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import io.backprop.runner.testkit.PluginJars;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars built in the test and loaded through the registry, as the runner loads them: each in a class loader of
 * its own that shares only the plugin API, Micrometer and the JDK with the runner.
 */
class PluginLoadingTest {
    /** A cost provider on the runner's class path, a built-in for these tests. */
    record FakeCost(String name, List<ParamSpec> parameters) implements CostProvider {
        @Override
        public String description() {
            return "a test cost";
        }

        @Override
        public Cost create(Params params) {
            return null;
        }
    }

    private static PluginRef ref(String name) {
        return new PluginRef("cost", name, Map.of(), new Where("e.yaml", 3, 7, "cost"));
    }

    private static List<String> problems(Runnable action) {
        return assertThrows(SpecException.class, action::run).problems().stream()
                .map(Problem::format)
                .toList();
    }

    @Test
    void aBrokenProviderIsReportedAndTheRestStillLoad(@TempDir Path dir) throws Exception {
        Path jar = PluginJars.build(
                dir.resolve("mixed.jar"),
                Map.of("com.example.Good", PluginJars.costProvider("com.example.Good", "good")),
                Map.of(CostProvider.class.getName(), List.of("com.example.Missing", "com.example.Good")),
                null);
        var base = Registry.of(List.of(new FakeCost("quadratic", List.of())));
        var registry = base.withPlugins(List.of(new PluginLocation(jar, Where.of("e.yaml"))));
        assertEquals(
                List.of("good", "quadratic"),
                registry.providers(PluginKind.COST).stream()
                        .map(PluginProvider::name)
                        .toList());
        assertEquals(1, registry.warnings().size(), registry.warnings().toString());
        assertTrue(
                registry.warnings().get(0).startsWith("a cost in " + jar.toAbsolutePath() + " could not be loaded: "),
                registry.warnings().get(0));
        assertTrue(
                registry.warnings().get(0).contains("com.example.Missing"),
                registry.warnings().get(0));
    }

    private static PluginLocation at(Path path) {
        return new PluginLocation(path, new Where("e.yaml", 9, 3, "plugins[0]"));
    }

    @Test
    void aJarsProvidersLoadInTheirOwnLoaderWithTheirVersion(@TempDir Path dir) throws Exception {
        Path jar =
                PluginJars.costJar(dir.resolve("huber-cost-1.2.0.jar"), "com.example.HuberProvider", "huber", "1.2.0");
        var registry =
                Registry.of(List.of(new FakeCost("quadratic", List.of()))).withPlugins(List.of(at(jar)));
        var info = registry.list(PluginKind.COST).stream()
                .filter(p -> p.name().equals("huber"))
                .findFirst()
                .orElseThrow();
        assertEquals("huber-cost/huber", info.qualifiedName());
        assertEquals(jar.toAbsolutePath().toString(), info.origin());
        assertEquals("1.2.0", info.version());
        var resolved = registry.resolve(PluginKind.COST, ref("huber"));
        resolved.create();
        ClassLoader seen = (ClassLoader)
                resolved.provider().getClass().getField("contextLoaderInCreate").get(null);
        assertEquals(
                resolved.provider().getClass().getClassLoader(),
                seen,
                "the context loader is the plugin's while it runs");
        assertTrue(resolved.provider().getClass().getClassLoader() != Registry.class.getClassLoader());
        assertEquals(List.of(jar.toAbsolutePath()), registry.locations());
    }

    @Test
    void aDirectoryHoldsAPluginPerJarAndPerSubdirectory(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.costJar(plugins.resolve("one.jar"), "com.example.One", "one", null);
        Path sub = Files.createDirectories(plugins.resolve("two"));
        PluginJars.costJar(sub.resolve("two-impl.jar"), "com.example.Two", "two", null);
        var registry = Registry.of(List.of()).withPlugins(List.of(at(plugins)));
        assertEquals(
                List.of("one/one", "two/two"),
                registry.list(PluginKind.COST).stream()
                        .map(PluginInfo::qualifiedName)
                        .toList());
        assertEquals(List.of(), registry.warnings());
    }

    @Test
    void twoJarsClaimingOneNameAreAnErrorNamingBothJars(@TempDir Path dir) throws Exception {
        Path a = PluginJars.costJar(dir.resolve("a.jar"), "com.example.A", "same", null);
        Path b = PluginJars.costJar(dir.resolve("b.jar"), "com.example.B", "same", null);
        var found = problems(() -> Registry.of(List.of()).withPlugins(List.of(at(a), at(b))));
        assertEquals(
                List.of("e.yaml:9:3: plugins[0]: two cost providers are named 'same': com.example.A in "
                        + a.toAbsolutePath() + " and com.example.B in " + b.toAbsolutePath() + "; remove one"),
                found);
    }

    @Test
    void aBuiltInKeepsItsNameAndTheQualifiedNameReachesThePlugins(@TempDir Path dir) throws Exception {
        Path jar = PluginJars.costJar(dir.resolve("fast-math.jar"), "com.example.Quadratic", "quadratic", null);
        var registry =
                Registry.of(List.of(new FakeCost("quadratic", List.of()))).withPlugins(List.of(at(jar)));
        assertEquals(
                FakeCost.class,
                registry.resolve(PluginKind.COST, ref("quadratic")).provider().getClass());
        assertEquals(
                "com.example.Quadratic",
                registry.resolve(PluginKind.COST, ref("fast-math/quadratic"))
                        .provider()
                        .getClass()
                        .getName());
        assertEquals(
                FakeCost.class,
                registry.resolve(PluginKind.COST, ref("builtin/quadratic"))
                        .provider()
                        .getClass());
        assertEquals(
                List.of(
                        "cost 'quadratic' of " + jar.toAbsolutePath()
                                + " has a built-in's name: the built-in keeps it; write 'fast-math/quadratic' to use the plugin's"),
                registry.warnings());
    }

    @Test
    void aJarWithNoProvidersIsAWarning(@TempDir Path dir) throws Exception {
        Path jar = PluginJars.build(dir.resolve("empty.jar"), Map.of(), Map.of(), null);
        var registry = Registry.of(List.of()).withPlugins(List.of(at(jar)));
        assertEquals(
                List.of(jar.toAbsolutePath()
                        + " provides no plugins: it has no META-INF/services file naming a provider"
                        + " interface of io.backprop.runner.plugin"),
                registry.warnings());
    }

    /** A cost whose loss is what {@code call} returns, compiled with the classes that {@code bundled} holds. */
    private static Map<String, String> costCalling(String call, Map<String, String> bundled) {
        var sources = new java.util.LinkedHashMap<>(bundled);
        sources.put("com.example.bundling.BundlingCostProvider", """
                package com.example.bundling;

                import io.backprop.runner.plugin.*;

                public final class BundlingCostProvider implements CostProvider {
                    public String name() { return "bundling"; }
                    public String description() { return "a cost that calls the libraries its jar bundles"; }
                    public Cost create(Params params) {
                        double value = CALL;
                        return new Cost() {
                            public double loss(double[] a, double[] y, int rows, int cols) { return value; }
                            public void gradient(double[] a, double[] y, double[] da, int rows, int cols) { }
                        };
                    }
                }
                """.replace("CALL", call));
        return sources;
    }

    private static final Map<String, List<String>> BUNDLING =
            Map.of(CostProvider.class.getName(), List.of("com.example.bundling.BundlingCostProvider"));

    @Test
    void aPluginThatBundlesItsOwnJacksonAndARunnerClassGetsItsOwn(@TempDir Path dir) throws Exception {
        // Classes of the names the runner has on its class path (a dependency, and one of its own), but not its code:
        // taken from the runner, the calls below would fail with NoSuchMethodError.
        Path jar = PluginJars.build(
                dir.resolve("bundling.jar"),
                costCalling(
                        "com.fasterxml.jackson.databind.ObjectMapper.bundledAnswer() + io.backprop.runner.spec.Problem.bundledAnswer()",
                        Map.of(
                                "com.fasterxml.jackson.databind.ObjectMapper",
                                """
                        package com.fasterxml.jackson.databind;
                        public class ObjectMapper { public static double bundledAnswer() { return 40; } }
                        """,
                                "io.backprop.runner.spec.Problem",
                                """
                        package io.backprop.runner.spec;
                        public class Problem { public static double bundledAnswer() { return 2; } }
                        """)),
                BUNDLING,
                null,
                PluginJars.apiClassPath());
        var registry = Registry.of(List.of()).withPlugins(List.of(at(jar)));
        Resolved<Cost> resolved = registry.resolve(PluginKind.COST, ref("bundling"));
        assertEquals(42, resolved.create().loss(new double[1], new double[1], 1, 1), "the plugin's own classes ran");
        ClassLoader plugin = resolved.provider().getClass().getClassLoader();
        assertEquals(
                plugin,
                plugin.loadClass("com.fasterxml.jackson.databind.ObjectMapper").getClassLoader());
        assertEquals(plugin, plugin.loadClass("io.backprop.runner.spec.Problem").getClassLoader());
        assertTrue(Problem.class.getClassLoader() != plugin, "the runner keeps its own");
    }

    @Test
    void aPluginSeesTheApiMicrometerAndTheJdkAsTheRunnerDoesAndNothingElseOfIt(@TempDir Path dir) throws Exception {
        Path jar = PluginJars.costJar(dir.resolve("plain.jar"), "com.example.Plain", "plain", null);
        var registry = Registry.of(List.of()).withPlugins(List.of(at(jar)));
        ClassLoader plugin = registry.resolve(PluginKind.COST, ref("plain"))
                .provider()
                .getClass()
                .getClassLoader();
        assertEquals(CostProvider.class, plugin.loadClass(CostProvider.class.getName()));
        assertEquals(Table.class, plugin.loadClass(Table.class.getName()), "the API's subpackages too");
        assertEquals(MeterRegistry.class, plugin.loadClass(MeterRegistry.class.getName()));
        assertEquals(List.class, plugin.loadClass(List.class.getName()));
        assertEquals(
                java.sql.Connection.class,
                plugin.loadClass("java.sql.Connection"),
                "the platform's modules are the JDK's");
        for (String hidden : List.of(
                Registry.class.getName(),
                "io.backprop.runner.engine.Network",
                "io.backprop.runner.plugins.cost.QuadraticCostProvider",
                "com.fasterxml.jackson.databind.ObjectMapper",
                "org.yaml.snakeyaml.Yaml",
                "picocli.CommandLine",
                "org.junit.jupiter.api.Test")) {
            assertThrows(ClassNotFoundException.class, () -> plugin.loadClass(hidden), hidden + " is the runner's own");
        }
        assertEquals(null, plugin.getResource("org/yaml/snakeyaml/Yaml.class"), "nor its resources");
        String services = "META-INF/services/" + CostProvider.class.getName();
        assertEquals(
                List.of("jar:" + jar.toUri().toURL() + "!/" + services),
                Collections.list(plugin.getResources(services)).stream()
                        .map(Object::toString)
                        .toList(),
                "the plugin's services files, not the built-ins'");
    }

    @Test
    void aMicrometerClassTheRunnerLacksMayComeFromThePlugin(@TempDir Path dir) throws Exception {
        Path jar = PluginJars.build(
                dir.resolve("registry.jar"),
                costCalling("io.micrometer.bundled.Registry.answer()", Map.of("io.micrometer.bundled.Registry", """
                        package io.micrometer.bundled;
                        public class Registry { public static double answer() { return 3; } }
                        """)),
                BUNDLING,
                null,
                PluginJars.apiClassPath());
        var registry = Registry.of(List.of()).withPlugins(List.of(at(jar)));
        assertEquals(
                3,
                registry.resolve(PluginKind.COST, ref("bundling")).create().loss(new double[1], new double[1], 1, 1));
    }

    @Test
    void twoPluginsBundlingOneLibraryAtTwoVersionsEachGetTheirs(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (int version : new int[] {1, 2}) {
            Path sub = Files.createDirectories(plugins.resolve("v" + version));
            var sources = costCalling(
                    "com.example.lib.Version.number()",
                    Map.of(
                            "com.example.lib.Version",
                            "package com.example.lib; public class Version { public static double number() { return "
                                    + version + "; } }"));
            String provider = sources.remove("com.example.bundling.BundlingCostProvider")
                    .replace("package com.example.bundling;", "package com.example.v" + version + ";")
                    .replace("\"bundling\"", "\"bundling-" + version + "\"");
            sources.put("com.example.v" + version + ".BundlingCostProvider", provider);
            PluginJars.build(
                    sub.resolve("cost.jar"),
                    sources,
                    Map.of(CostProvider.class.getName(), List.of("com.example.v" + version + ".BundlingCostProvider")),
                    null,
                    PluginJars.apiClassPath());
        }
        var registry = Registry.of(List.of()).withPlugins(List.of(at(plugins)));
        for (int version : new int[] {1, 2}) {
            Cost cost = registry.resolve(PluginKind.COST, ref("bundling-" + version))
                    .create();
            assertEquals(version, cost.loss(new double[1], new double[1], 1, 1));
        }
    }

    @Test
    void pluginCodeTheRegistryCallsRunsWithThePluginsContextLoader(@TempDir Path dir) throws Exception {
        Path jar = PluginJars.build(
                dir.resolve("context.jar"),
                Map.of("com.example.context.ContextCostProvider", """
                package com.example.context;

                import io.backprop.runner.plugin.*;
                import java.util.*;

                public final class ContextCostProvider implements CostProvider {
                    public static final Map<String, ClassLoader> SEEN = new TreeMap<>();

                    public ContextCostProvider() { SEEN.put("constructor", Thread.currentThread().getContextClassLoader()); }
                    public String name() { SEEN.put("name", Thread.currentThread().getContextClassLoader()); return "context"; }
                    public String description() { SEEN.put("description", Thread.currentThread().getContextClassLoader()); return "records the context loader"; }
                    public List<ParamSpec> parameters() {
                        SEEN.put("parameters", Thread.currentThread().getContextClassLoader());
                        return List.of(ParamSpec.number("scale", 1.0, 0, 10, "a number"));
                    }
                    public Cost create(Params params) {
                        SEEN.put("create", Thread.currentThread().getContextClassLoader());
                        return new Cost() {
                            public double loss(double[] a, double[] y, int rows, int cols) { return 0; }
                            public void gradient(double[] a, double[] y, double[] da, int rows, int cols) { }
                        };
                    }
                }
                """),
                Map.of(CostProvider.class.getName(), List.of("com.example.context.ContextCostProvider")),
                null,
                PluginJars.apiClassPath());
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        var registry = Registry.of(List.of()).withPlugins(List.of(at(jar)));
        registry.list(PluginKind.COST);
        var resolved = registry.resolve(PluginKind.COST, ref("context"));
        resolved.create();
        ClassLoader plugin = resolved.provider().getClass().getClassLoader();
        @SuppressWarnings("unchecked")
        var seen = (Map<String, ClassLoader>)
                resolved.provider().getClass().getField("SEEN").get(null);
        assertEquals(List.of("constructor", "create", "description", "name", "parameters"), List.copyOf(seen.keySet()));
        seen.forEach((call, loader) -> assertEquals(plugin, loader, call + " ran with another context loader"));
        assertEquals(before, Thread.currentThread().getContextClassLoader(), "and the caller's is put back");
    }
}
