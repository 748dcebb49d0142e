package io.backprop.runner.plugins.exporter;

import com.sun.net.httpserver.HttpServer;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.backprop.runner.plugin.PluginException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A scrape endpoint on the JDK's own HTTP server, serving the Prometheus text format of the run's registry. */
final class PrometheusMetricsExporter implements MetricsExporter {
    private final String host;
    private final int port;
    private final String path;
    private final double lingerSeconds;
    private PrometheusMeterRegistry prometheus;
    private HttpServer server;
    private ExportContext context;

    PrometheusMetricsExporter(String host, int port, String path, double lingerSeconds) {
        this.host = host;
        this.port = port;
        this.path = path;
        this.lingerSeconds = lingerSeconds;
    }

    /** Binds the port before the run directory is made, so that a port in use is bad input, not a failed run. */
    @Override
    public void prepare() {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new PluginException(
                    "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage()
                            + "; choose another port (port: 0 takes any free one)",
                    e);
        }
    }

    @Override
    public void open(ExportContext context) throws IOException {
        this.context = context;
        if (server == null) prepare();
        prometheus = Prometheus.registry();
        context.registry().add(prometheus);
        server.createContext(path, exchange -> {
            byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        context.console()
                .println("serving metrics at http://" + host + ":"
                        + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        if (server == null) return;
        if (prometheus == null) { // prepared, never opened: the run did not start
            // The port is let go by the server's own thread, which deregisters the listening socket; so start it.
            server.start();
            server.stop(0);
            return;
        }
        if (lingerSeconds > 0) {
            try {
                Thread.sleep((long) (lingerSeconds * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.stop(0);
        context.registry().remove(prometheus);
        prometheus.close();
    }
}
