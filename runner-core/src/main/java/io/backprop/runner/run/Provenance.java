package io.backprop.runner.run;

import io.backprop.runner.engine.Seeds;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.plugin.ParamSpec;
import io.backprop.runner.registry.Resolved;
import io.backprop.runner.setup.Setup;
import io.backprop.runner.spec.Experiment.Holdout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a run's results came from, as summary.json's {@code provenance} records it: the runner's version, the Java
 * runtime, the machine, the threads and kernels that trained, and every file the run read (each path parameter of its
 * data sources, preprocessors and initializers) with its size, SHA-256 and the examples taken from it; a data source
 * that reads no file is recorded as generated, with its parameters and seed.
 */
public final class Provenance {
    private static final int BUFFER = 1 << 16;

    private Provenance() {}

    /**
     * The record for {@code setup}, trained from {@code started} on; each file is read once, as it is now. A file that
     * cannot be read is recorded with the reason, never failing the run.
     */
    public static Map<String, Object> of(Setup setup, Instant started) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("runner", runnerVersion());
        p.put("started", started.toString());
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("version", System.getProperty("java.version"));
        java.put("vendor", System.getProperty("java.vendor"));
        java.put("vm", System.getProperty("java.vm.name"));
        p.put("java", java);
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("name", System.getProperty("os.name"));
        os.put("version", System.getProperty("os.version"));
        os.put("arch", System.getProperty("os.arch"));
        p.put("os", os);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("model", cpuModel());
        cpu.put("logical_processors", Runtime.getRuntime().availableProcessors());
        p.put("cpu", cpu);
        p.put("threads", setup.experiment().training().threads());
        p.put("kernels", Products.kernels());
        p.put("arithmetic", setup.network().arithmetic());
        p.put("data", data(setup));
        return p;
    }

    /** The jar's Implementation-Version; outside a jar (tests, a bare class path), the version the build stamped. */
    static String runnerVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        if (v != null) return v;
        try (InputStream in = Provenance.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                var properties = new Properties();
                properties.load(in);
                String stamped = properties.getProperty("version");
                if (stamped != null && !stamped.startsWith("${")) return stamped;
            }
        } catch (IOException e) {
            // the resource is in the class path's own jar or directory; unreadable, the version is unknown
        }
        return "unknown";
    }

    /** Linux's {@code model name} from /proc/cpuinfo; elsewhere (or without one, as on some ARM) the architecture. */
    static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (var lines = Files.lines(cpuinfo, StandardCharsets.ISO_8859_1)) {
                var model = lines.filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .filter(m -> !m.isEmpty())
                        .findFirst();
                if (model.isPresent()) return model.get();
            } catch (IOException | java.io.UncheckedIOException e) {
                // fall back to what Java knows
            }
        }
        return System.getProperty("os.arch");
    }

    /** A entry per file read (data sources first, train, validation, test; then preprocessors, initializers). */
    private static List<Map<String, Object>> data(Setup setup) {
        var e = setup.experiment();
        var sources = setup.dataSources();
        Map<Path, Map<String, Object>> hashed = new HashMap<>();
        List<Map<String, Object>> entries = new ArrayList<>();
        int trainRows = setup.train().rows();
        if (e.data().validation() instanceof Holdout.Split && setup.validation() != null)
            trainRows += setup.validation().rows();
        if (e.data().test() instanceof Holdout.Split && setup.test() != null)
            trainRows += setup.test().rows();
        add(entries, hashed, sources.get(0), "data.train", trainRows, e.seed(), true);
        int next = 1;
        if (e.data().validation() instanceof Holdout.Source) {
            add(
                    entries,
                    hashed,
                    sources.get(next++),
                    "data.validation",
                    setup.validation().rows(),
                    e.seed(),
                    true);
        }
        if (e.data().test() instanceof Holdout.Source) {
            add(entries, hashed, sources.get(next), "data.test", setup.test().rows(), e.seed(), true);
        }
        var preprocessors = setup.preprocessorPlugins();
        for (int i = 0; i < preprocessors.size(); i++)
            add(entries, hashed, preprocessors.get(i), "data.preprocess[" + i + "]", null, e.seed(), false);
        add(entries, hashed, setup.initializer(), "model.initializer", null, e.seed(), false);
        add(entries, hashed, setup.biasInitializer(), "model.bias_initializer", null, e.seed(), false);
        return entries;
    }

    /**
     * The files {@code plugin}'s path parameters name; a data source with none is generated, recorded with its
     * parameters and the seed it was given (the experiment's, derived for {@code key}).
     */
    private static void add(
            List<Map<String, Object>> entries,
            Map<Path, Map<String, Object>> hashed,
            Resolved<?> plugin,
            String key,
            Integer rows,
            long seed,
            boolean dataSource) {
        boolean anyFile = false;
        for (ParamSpec spec : plugin.provider().parameters()) {
            if (spec.type() != ParamSpec.Type.PATH || plugin.params().asMap().get(spec.name()) == null) continue;
            anyFile = true;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", key);
            entry.put(dataSource ? "source" : "plugin", plugin.ref().name());
            entry.put("parameter", spec.name());
            entry.put("path", plugin.params().getString(spec.name()));
            Path file = plugin.params().path(spec.name()).toAbsolutePath().normalize();
            Path real;
            try {
                real = file.toRealPath();
            } catch (IOException ex) {
                real = file;
            }
            entry.put("resolved", real.toString());
            entry.putAll(hashed.computeIfAbsent(real, Provenance::describeFile));
            if (rows != null) entry.put("rows", rows);
            entries.add(entry);
        }
        if (!anyFile && dataSource) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", key);
            entry.put("source", plugin.ref().name());
            Map<String, Object> params = new LinkedHashMap<>();
            plugin.params()
                    .asMap()
                    .forEach((k, v) -> params.put(
                            k,
                            v instanceof List<?> l
                                    ? new ArrayList<>(l)
                                    : v instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : v));
            entry.put("generated", params);
            entry.put("seed", Seeds.derive(seed, key));
            entry.put("rows", rows);
            entries.add(entry);
        }
    }

    /** {@code bytes} and {@code sha256} of {@code file}, read once as a stream; or {@code error} saying why not. */
    static Map<String, Object> describeFile(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[BUFFER];
            long bytes = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                bytes += n;
            }
            m.put("bytes", bytes);
            m.put("sha256", HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            m.put("bytes", null);
            m.put("sha256", null);
            m.put("error", IoFailure.describe(e));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        return m;
    }
}
