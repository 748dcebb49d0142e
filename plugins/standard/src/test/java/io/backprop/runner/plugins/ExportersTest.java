package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportersTest {
    private static MetricsExporter exporter(String name, Map<String, ?> values) {
        var p = StandardPlugins.registry().providers(PluginKind.METRICS_EXPORTER).stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow();
        return p.create(Params.of(p, values));
    }

    @Test
    void fileWritesAJsonLinePerEpochAndThePrometheusTextAtTheEnd(@TempDir Path dir) throws Exception {
        var registry = new CompositeMeterRegistry();
        registry.config().commonTags("experiment", "e", "run", "r");
        double[] loss = {0.5};
        Gauge.builder("runner.loss", loss, v -> v[0]).tag("split", "train").register(registry);
        try (MetricsExporter file = exporter("file", Map.of())) {
            file.open(new ExportContext("e", "r", dir, registry, System.err, 1));
            file.epochEnded(new EpochMetrics(1, Map.of("train_loss", 0.5)));
            loss[0] = 0.25;
            var second = new java.util.LinkedHashMap<String, Double>();
            second.put("train_loss", 0.25);
            second.put("validation_loss", Double.NaN);
            file.epochEnded(new EpochMetrics(2, second));
        }
        assertEquals(
                java.util.List.of(
                        "{\"epoch\":1,\"train_loss\":0.5}",
                        "{\"epoch\":2,\"train_loss\":0.25,\"validation_loss\":null}"),
                Files.readAllLines(dir.resolve("metrics.jsonl")));
        assertTrue(Files.readString(dir.resolve("metrics.prom"))
                .contains("runner_loss{experiment=\"e\",run=\"r\",split=\"train\"} 0.25"));
    }

    @Test
    void consolePrintsEveryMeterAtTheEnd(@TempDir Path dir) throws Exception {
        var registry = new CompositeMeterRegistry();
        registry.config().commonTags("experiment", "e", "run", "r");
        Gauge.builder("runner.loss", () -> 0.125).tag("split", "train").register(registry);
        var bytes = new ByteArrayOutputStream();
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
                MetricsExporter console = exporter("console", Map.of("every", 2L))) {
            console.open(new ExportContext("e", "r", dir, registry, out, 1));
            console.epochEnded(new EpochMetrics(1, Map.of()));
            console.epochEnded(new EpochMetrics(2, Map.of()));
        }
        assertEquals("""
                meters of e run r, after epoch 2:
                  runner.loss{split=train} value=0.125000
                meters of e run r, at the end:
                  runner.loss{split=train} value=0.125000
                """, bytes.toString(StandardCharsets.UTF_8));
    }

    /** A server on loopback that accepts every connection and never answers. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(
                    () -> {
                        try {
                            while (true) accepted.add(socket.accept());
                        } catch (IOException e) {
                            // closed
                        }
                    },
                    "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) s.close();
        }
    }

    private static ExportContext context(Path dir, CompositeMeterRegistry registry, PrintStream console) {
        return new ExportContext("e", "r", dir, registry, console, 1);
    }

    @Test
    void aPushgatewayThatNeverAnswersCostsTheEpochsNothingAndTheEndAtMostTheTimeout(@TempDir Path dir)
            throws Exception {
        var registry = new CompositeMeterRegistry();
        Gauge.builder("runner.loss", () -> 0.125).register(registry);
        var bytes = new ByteArrayOutputStream();
        try (var server = new SilentServer();
                var console = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            MetricsExporter push =
                    exporter("pushgateway", Map.of("url", server.url(), "every", 1L, "timeout_seconds", 1.0));
            push.open(context(dir, registry, console));
            long started = System.nanoTime();
            for (int epoch = 1; epoch <= 20; epoch++) push.epochEnded(new EpochMetrics(epoch, Map.of()));
            double epochsSeconds = (System.nanoTime() - started) / 1e9;
            assertTrue(epochsSeconds < 0.5, "20 epochs asking for pushes took " + epochsSeconds + " s");
            Thread.sleep(1500); // the first push times out meanwhile
            started = System.nanoTime();
            push.close();
            double closeSeconds = (System.nanoTime() - started) / 1e9;
            assertTrue(closeSeconds < 2.5, "close waited " + closeSeconds + " s with timeout_seconds 1");
            assertTrue(
                    server.accepted.size() <= 3, "pending pushes coalesce: " + server.accepted.size() + " connections");
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "one warning for the failing pushes: " + lines);
        assertTrue(lines.get(0).startsWith("warning: pushgateway: could not push to http://127.0.0.1:"), lines.get(0));
    }

    @Test
    void theEndOfARunWaitsAtMostTheTimeoutForAPushThatHangs(@TempDir Path dir) throws Exception {
        var registry = new CompositeMeterRegistry();
        var bytes = new ByteArrayOutputStream();
        try (var server = new SilentServer();
                var console = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            MetricsExporter push =
                    exporter("pushgateway", Map.of("url", server.url(), "every", 0L, "timeout_seconds", 1.0));
            push.open(context(dir, registry, console));
            push.epochEnded(new EpochMetrics(1, Map.of()));
            long started = System.nanoTime();
            push.close();
            double closeSeconds = (System.nanoTime() - started) / 1e9;
            assertTrue(
                    closeSeconds >= 0.9 && closeSeconds < 2.5,
                    "close waited " + closeSeconds + " s with timeout_seconds 1");
            Thread.sleep(1500); // a late word from the abandoned push would show now
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(
                lines.get(0)
                        .matches(
                                "warning: pushgateway: could not push to http://127\\.0\\.0\\.1:\\d+/metrics/job/backprop-runner/"
                                        + "experiment/e/run/r: .*"),
                lines.get(0));
    }

    @Test
    void aPrometheusPortInUseIsFoundWhenPreparingAndReleasedOnClose(@TempDir Path dir) throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            MetricsExporter prometheus = exporter("prometheus", Map.of("port", (long) taken.getLocalPort()));
            var e = org.junit.jupiter.api.Assertions.assertThrows(PluginException.class, prometheus::prepare);
            assertTrue(
                    e.getMessage().startsWith("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("; choose another port (port: 0 takes any free one)"), e.getMessage());
        }
        int port;
        try (var free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        MetricsExporter first = exporter("prometheus", Map.of("port", (long) port));
        first.prepare();
        first.close(); // prepared and never opened: the port is let go
        MetricsExporter second = exporter("prometheus", Map.of("port", (long) port));
        second.prepare();
        second.close();
    }
}
