package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.dist.RunnerJarIT.Result;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.run.SavedModel;
import io.backprop.runner.spec.Problem;
import io.backprop.runner.spec.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example plugin jar, never on runner.jar's class path, loaded the ways users load plugins. */
class PluginJarsIT {
    private static final Path EXAMPLE =
            Path.of(System.getProperty("example.jar", "../plugins/example/target/runner-plugin-example.jar"));
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final String EXPERIMENT = """
            name: swish-parity
            seed: 7
            data: {train: {name: parity, bits: 3}}
            model:
              layers: [{units: 8, activation: {name: swish, beta: BETA}}, {units: 1, activation: sigmoid}]
              initializer: {name: normal, std: 1.0}
            cost: {name: huber, delta: 0.75}
            training:
              optimizer: {name: sgd, learning_rate: 2.0}
              batch_size: 8
              max_epochs: 300
            """;

    private static Path pluginsDirectory(Path dir, String... jarNames) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (String name : jarNames) Files.copy(EXAMPLE, plugins.resolve(name));
        return plugins;
    }

    private static Path experiment(Path dir, String beta) throws IOException {
        return Files.writeString(dir.resolve("swish.yaml"), EXPERIMENT.replace("BETA", beta));
    }

    @Test
    void aPluginsDirectoryIsListedWithPathAndVersionAndNotOtherwise(@TempDir Path dir) throws Exception {
        Path plugins = pluginsDirectory(dir, "runner-plugin-example.jar");
        Path jar = plugins.resolve("runner-plugin-example.jar").toAbsolutePath();
        Result listed = RunnerJarIT.run(dir, "plugins", "--plugins", plugins.toString(), "--kind", "activation");
        assertEquals(0, listed.exitCode(), String.join("\n", listed.err()));
        assertEquals("activations:", listed.out().get(0));
        String swish = listed.out().stream()
                .filter(l -> l.startsWith("  swish "))
                .findFirst()
                .orElseThrow();
        assertTrue(swish.endsWith("[" + jar + " " + VERSION + "]"), swish);
        assertTrue(
                listed.out()
                        .contains(
                                "      beta             a number > 0 and <= 100, default 1.0; the slope inside the sigmoid"),
                String.join("\n", listed.out()));
        assertFalse(String.join("\n", listed.out()).contains("cost"), "--kind activation lists activations only");

        Result builtIn = RunnerJarIT.run(dir, "plugins");
        assertFalse(
                String.join("\n", builtIn.out()).contains("swish"), "the example plugin must not be inside runner.jar");
    }

    @Test
    void jsonListsEveryProviderForTools(@TempDir Path dir) throws Exception {
        Path plugins = pluginsDirectory(dir, "runner-plugin-example.jar");
        Result r = RunnerJarIT.run(dir, "plugins", "--json", "--plugins", plugins.toString());
        assertEquals(0, r.exitCode(), String.join("\n", r.err()));
        JsonNode all = new ObjectMapper().readTree(String.join("\n", r.out()));
        JsonNode huber = null;
        for (JsonNode p : all) if (p.get("name").asText().equals("huber")) huber = p;
        assertEquals("cost", huber.get("kind").asText());
        assertEquals("runner-plugin-example/huber", huber.get("qualified_name").asText());
        assertEquals(
                plugins.resolve("runner-plugin-example.jar").toAbsolutePath().toString(),
                huber.get("origin").asText());
        assertEquals(VERSION, huber.get("version").asText());
        JsonNode delta = huber.get("parameters").get(0);
        assertEquals("delta", delta.get("name").asText());
        assertEquals("number", delta.get("type").asText());
        assertEquals(1.0, delta.get("default").doubleValue());
        assertTrue(delta.get("min_exclusive").booleanValue());
        Result bad = RunnerJarIT.run(dir, "plugins", "--kind", "activations");
        assertEquals(2, bad.exitCode());
        assertEquals(
                List.of(
                        "--kind: unknown kind 'activations'; did you mean 'activation'? (kinds: activation, cost, data-source, "
                                + "initializer, metrics-exporter, optimizer, preprocessor, schedule, stopping-rule)"),
                bad.err());
    }

    @Test
    void anExperimentRunsWithPluginsFromTheEnvironmentAndTheRunRemembersThem(@TempDir Path dir) throws Exception {
        Path plugins = pluginsDirectory(dir, "runner-plugin-example.jar");
        Path jar = plugins.resolve("runner-plugin-example.jar").toAbsolutePath();
        Path file = experiment(dir, "1.0");
        Result r = RunnerJarIT.run(dir, Map.of("RUNNER_PLUGIN_PATH", plugins.toString()), file.toString());
        assertEquals(0, r.exitCode(), String.join("\n", r.err()));
        Path run = dir.resolve(r.out().get(r.out().size() - 1));

        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("plugins: [" + plugins.toAbsolutePath() + "]"), config);
        JsonNode model = new ObjectMapper().readTree(run.resolve("model.json").toFile());
        JsonNode swish = model.get("layers").get(0).get("activation");
        assertEquals("swish", swish.get("name").asText());
        assertEquals(jar.toString(), swish.get("origin").asText());
        assertEquals(VERSION, swish.get("version").asText());
        assertEquals(
                "built-in",
                model.get("layers").get(1).get("activation").get("origin").asText());

        // Read back without the plugin, the model says which plugin is missing and which jar to add.
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                SpecException.class,
                () -> SavedModel.read(run.resolve("model.json"), "model.json", Registry.builtIn()));
        assertEquals(
                List.of(
                        "model.json: cost: needs cost 'huber' from " + jar + " (version " + VERSION
                                + "), which is not loaded; " + "add that jar with --plugins DIR or RUNNER_PLUGIN_PATH",
                        "model.json: layers[0].activation: needs activation 'swish' from " + jar + " (version "
                                + VERSION
                                + "), which is not loaded; add that jar with --plugins DIR or RUNNER_PLUGIN_PATH"),
                e.problems().stream().map(Problem::format).toList());
        // With it, the saved network computes what it computed before.
        var withPlugin = Registry.builtIn()
                .withPlugins(List.of(new io.backprop.runner.spec.Experiment.PluginLocation(
                        jar, io.backprop.runner.spec.Where.of("test"))));
        var network = SavedModel.read(run.resolve("model.json"), "model.json", withPlugin)
                .network(8);
        assertEquals(
                model.get("layers").get(1).get("weights").get(0).get(3).doubleValue(), network.weightsByUnit(1)[3]);
    }

    @Test
    void theSameJarTwiceIsAnErrorNamingBoth(@TempDir Path dir) throws Exception {
        Path plugins = pluginsDirectory(dir, "a.jar", "b.jar");
        Result r = RunnerJarIT.run(dir, "validate", experiment(dir, "1.0").toString(), "--plugins", plugins.toString());
        assertEquals(2, r.exitCode());
        Path a = plugins.resolve("a.jar").toAbsolutePath();
        Path b = plugins.resolve("b.jar").toAbsolutePath();
        assertEquals(
                List.of(
                        "--plugins: two data source providers are named 'parity': com.example.backprop.ParityDataSourceProvider in "
                                + a + " and com.example.backprop.ParityDataSourceProvider in " + b + "; remove one",
                        "--plugins: two activation providers are named 'swish': com.example.backprop.SwishActivationProvider in "
                                + a + " and com.example.backprop.SwishActivationProvider in " + b + "; remove one",
                        "--plugins: two cost providers are named 'huber': com.example.backprop.HuberCostProvider in "
                                + a + " and com.example.backprop.HuberCostProvider in " + b + "; remove one"),
                r.err());
    }

    @Test
    void aProviderThatFailsToLoadIsNamedAndTheRestStillLoad(@TempDir Path dir) throws Exception {
        Path plugins = pluginsDirectory(dir, "runner-plugin-example.jar");
        Path broken = plugins.resolve("broken.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(broken))) {
            out.putNextEntry(new JarEntry("META-INF/services/io.backprop.runner.plugin.CostProvider"));
            out.write("com.example.backprop.MissingCostProvider\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Result r = RunnerJarIT.run(dir, "validate", experiment(dir, "1.0").toString(), "--plugins", plugins.toString());
        assertEquals(0, r.exitCode(), String.join("\n", r.err()));
        assertEquals(1, r.err().size(), String.join("\n", r.err()));
        assertTrue(
                r.err().get(0).startsWith("warning: a cost in " + broken.toAbsolutePath() + " could not be loaded: "),
                r.err().get(0));
        assertTrue(
                r.err().get(0).contains("com.example.backprop.MissingCostProvider"),
                r.err().get(0));
    }

    @Test
    void aBadPluginParameterIsOneClearLine(@TempDir Path dir) throws Exception {
        Path plugins = pluginsDirectory(dir, "runner-plugin-example.jar");
        experiment(dir, "-1");
        Result r = RunnerJarIT.run(dir, "swish.yaml", "--plugins", plugins.toString());
        assertEquals(2, r.exitCode());
        assertEquals(
                List.of("swish.yaml:5:55: model.layers[0].activation.beta: expected a number > 0 and <= 100, got -1"),
                r.err());
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void aDirectoryWithoutPluginsAndAMissingOneAreReported(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result r = RunnerJarIT.run(dir, "plugins", "--plugins", empty.toString(), "--kind", "cost");
        assertEquals(0, r.exitCode());
        assertEquals(List.of("warning: no plugin jars in " + empty.toAbsolutePath()), r.err());
        r = RunnerJarIT.run(
                dir, Map.of("RUNNER_PLUGIN_PATH", dir.resolve("gone").toString()), "plugins");
        assertEquals(2, r.exitCode());
        assertEquals(
                List.of("RUNNER_PLUGIN_PATH: no such plugin jar or directory: "
                        + dir.resolve("gone").toAbsolutePath()),
                r.err());
    }

    /** Compiles {@code sources} (class name to source) against the runner into {@code jar}, with a services file listing {@code providers}. */
    private static Path compiledPlugin(
            Path dir, Path jar, Map<String, String> sources, String service, String providers) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path classes = Files.createDirectories(src.resolve("classes"));
        List<String> args = new java.util.ArrayList<>(
                List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        for (var e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        assertEquals(
                0, javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)));
        Files.createDirectories(jar.getParent());
        try (var out = new JarOutputStream(Files.newOutputStream(jar));
                var files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + service));
            out.write((providers + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void aPluginBundlingItsOwnJacksonAndSnakeYamlRunsWithThemNotTheRunners(@TempDir Path dir) throws Exception {
        // runner.jar holds Jackson and SnakeYAML; the plugin's classes of the same names, with methods those lack, win
        // in its own loader. The runner's own classes are not there for it at all.
        Path jar = compiledPlugin(
                dir,
                dir.resolve("plugins/bundling.jar"),
                Map.of(
                        "com.fasterxml.jackson.databind.ObjectMapper", """
                        package com.fasterxml.jackson.databind;
                        public class ObjectMapper { public static double bundledScale() { return 0.5; } }
                        """,
                        "org.yaml.snakeyaml.Yaml", """
                        package org.yaml.snakeyaml;
                        public class Yaml { public static double bundledScale() { return 2; } }
                        """,
                        "com.example.bundling.HalfSquaresProvider", """
                        package com.example.bundling;

                        import io.backprop.runner.plugin.*;

                        public final class HalfSquaresProvider implements CostProvider {
                            public String name() { return "half-squares"; }
                            public String description() { return "the quadratic cost, scaled by the libraries its jar bundles"; }
                            public Cost create(Params params) {
                                try {
                                    Class.forName("io.backprop.runner.registry.Registry");
                                    throw new PluginException("the runner's internals are visible to a plugin");
                                } catch (ClassNotFoundException expected) {
                                    // as it should be
                                }
                                double scale = com.fasterxml.jackson.databind.ObjectMapper.bundledScale()
                                        * org.yaml.snakeyaml.Yaml.bundledScale() / 2;
                                return new Cost() {
                                    public double loss(double[] a, double[] y, int rows, int cols) {
                                        double sum = 0;
                                        for (int i = 0; i < rows * cols; i++) sum += (a[i] - y[i]) * (a[i] - y[i]);
                                        return scale * sum / rows;
                                    }
                                    public void gradient(double[] a, double[] y, double[] da, int rows, int cols) {
                                        for (int i = 0; i < rows * cols; i++) da[i] = 2 * scale * (a[i] - y[i]) / rows;
                                    }
                                };
                            }
                        }
                        """),
                "io.backprop.runner.plugin.CostProvider",
                "com.example.bundling.HalfSquaresProvider");
        Path file = Files.writeString(dir.resolve("bundled.yaml"), """
                name: bundled
                data: {train: xor}
                model:
                  layers: [{units: 4, activation: tanh}, {units: 1, activation: sigmoid}]
                  initializer: {name: normal, std: 1.0}
                cost: half-squares
                training: {optimizer: {name: sgd, learning_rate: 1.0}, batch_size: 4, max_epochs: 3}
                """);
        Result r = RunnerJarIT.run(
                dir, file.toString(), "--quiet", "--plugins", jar.getParent().toString());
        assertEquals(0, r.exitCode(), String.join("\n", r.err()));
        JsonNode model = new ObjectMapper()
                .readTree(dir.resolve(r.out().get(r.out().size() - 1))
                        .resolve("model.json")
                        .toFile());
        assertEquals(
                jar.toAbsolutePath().toString(), model.get("cost").get("origin").asText());
    }

    @Test
    void anOptimizerThatThrowsOnAWorkerThreadFailsTheRunInOneLineNamingThePlugin(@TempDir Path dir) throws Exception {
        // An elementwise optimizer steps each thread's rows of a split weight gradient on that thread; this one fails
        // on the second half of the first layer's rows, which the second thread computes.
        Path jar = compiledPlugin(
                dir,
                dir.resolve("plugins/exploding-optimizer.jar"),
                Map.of(
                        "com.example.failing.ExplodingOptimizerProvider", """
                        package com.example.failing;

                        import io.backprop.runner.plugin.*;

                        public final class ExplodingOptimizerProvider implements OptimizerProvider {
                            public String name() { return "exploding"; }
                            public String description() { return "gradient descent that fails on half the first layer's weights"; }
                            public Optimizer create(Params params) { return new ExplodingOptimizer(false); }
                        }
                        """,
                        "com.example.failing.ErringOptimizerProvider", """
                        package com.example.failing;

                        import io.backprop.runner.plugin.*;

                        public final class ErringOptimizerProvider implements OptimizerProvider {
                            public String name() { return "erring"; }
                            public String description() { return "gradient descent that misses a class on half the first layer's weights"; }
                            public Optimizer create(Params params) { return new ExplodingOptimizer(true); }
                        }
                        """,
                        "com.example.failing.ExplodingOptimizer", """
                        package com.example.failing;

                        import io.backprop.runner.plugin.Optimizer;

                        final class ExplodingOptimizer implements Optimizer {
                            private final boolean error;
                            ExplodingOptimizer(boolean error) { this.error = error; }
                            public boolean elementwise() { return true; }
                            public void step(int slot, double[] params, double[] gradient, int length) { step(slot, params, gradient, 0, length); }
                            public void step(int slot, double[] params, double[] gradient, int from, int to) {
                                if (slot == 0 && from >= params.length / 2) {
                                    if (error) throw new NoClassDefFoundError("com/example/failing/Missing");
                                    throw new IllegalStateException("the weights' second half cannot be stepped");
                                }
                                for (int i = from; i < to; i++) params[i] -= 0.01 * gradient[i];
                            }
                        }
                        """),
                "io.backprop.runner.plugin.OptimizerProvider",
                "com.example.failing.ExplodingOptimizerProvider\ncom.example.failing.ErringOptimizerProvider");
        // 64 x 784 x 512 multiply-adds per product: split across the threads (from 256K).
        Path file = Files.writeString(dir.resolve("exploding.yaml"), """
                name: exploding
                data: {train: {name: blobs, samples: 256, features: 784, classes: 2}}
                model:
                  layers: [{units: 512, activation: relu}, {units: 2, activation: softmax}]
                  initializer: he-normal
                cost: cross-entropy
                training: {optimizer: exploding, batch_size: 64, max_epochs: 3}
                """);
        // A plugin's exception, and an error such as a class missing from its jar, end the run alike.
        Map<String, String> thrown = Map.of(
                "exploding", "java.lang.IllegalStateException: the weights' second half cannot be stepped",
                "erring", "java.lang.NoClassDefFoundError: com/example/failing/Missing");
        for (var optimizer : thrown.entrySet()) {
            Result r = RunnerJarIT.run(
                    dir,
                    file.toString(),
                    "--threads",
                    "2",
                    "--plugins",
                    jar.getParent().toString(),
                    "--set",
                    "training.optimizer=" + optimizer.getKey());
            assertEquals(3, r.exitCode(), String.join("\n", r.err()));
            Path run = dir.resolve(r.out().get(r.out().size() - 1));
            String cause = "optimizer '" + optimizer.getKey() + "' (" + jar.toAbsolutePath() + ") threw "
                    + optimizer.getValue();
            assertEquals(
                    List.of("run failed: " + cause + "; what it recorded is in "
                            + r.out().get(r.out().size() - 1)),
                    r.err());
            JsonNode summary =
                    new ObjectMapper().readTree(run.resolve("summary.json").toFile());
            assertEquals("failed", summary.get("status").asText());
            assertEquals(cause, summary.get("stop_reason").asText());
            assertTrue(Files.isRegularFile(run.resolve("model.json")), "what the run recorded is kept");
        }
    }
}
