package io.backprop.runner.plugins.exporter;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.ExportContext;
import io.backprop.runner.plugin.MetricsExporter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Pushes the Prometheus text format of the run's registry with the Pushgateway's HTTP API: {@code PUT
 * /metrics/job/<job>/<label>/<value>...} replaces the run's group; {@code DELETE} on the same URL removes it. A push
 * that fails is reported on the console and training goes on: the run directory keeps every value anyway.
 */
final class PushgatewayMetricsExporter implements MetricsExporter {
    private final URI base;
    private final String job;
    private final List<String> grouping;
    private final int every;
    private final boolean deleteOnFinish;
    private final Duration timeout;
    private final HttpClient client;
    private PrometheusMeterRegistry prometheus;
    private ExportContext context;
    private URI group;

    PushgatewayMetricsExporter(URI base, String job, List<String> grouping, int every, boolean deleteOnFinish, double timeoutSeconds) {
        this.base = base;
        this.job = job;
        this.grouping = grouping;
        this.every = every;
        this.deleteOnFinish = deleteOnFinish;
        this.timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public void open(ExportContext context) {
        this.context = context;
        prometheus = Prometheus.registry();
        context.registry().add(prometheus);
        var url = new StringBuilder(base.toString().replaceAll("/+$", "")).append("/metrics/job").append(segment(job));
        for (String label : grouping) {
            url.append('/').append(label).append(segment(label.equals("experiment") ? context.experiment() : context.runId()));
        }
        group = URI.create(url.toString());
    }

    /** A path segment for a label value; values with a slash, or empty ones, go base64-encoded as the API asks. */
    private static String segment(String value) {
        if (value.isEmpty() || value.contains("/")) {
            return "@base64/" + Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        }
        return "/" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void epochEnded(EpochMetrics metrics) {
        if (every > 0 && metrics.epoch() % every == 0) push();
    }

    @Override
    public void close() {
        if (context == null) return;
        if (push() && deleteOnFinish) send(HttpRequest.newBuilder(group).timeout(timeout).DELETE().build(), "delete");
        context.registry().remove(prometheus);
        prometheus.close();
    }

    private boolean push() {
        var request = HttpRequest.newBuilder(group).timeout(timeout)
                .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(prometheus.scrape())).build();
        return send(request, "push to");
    }

    private boolean send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) return true;
            context.console().println("warning: pushgateway: " + what + " " + group + " answered " + response.statusCode()
                    + ": " + response.body().strip());
        } catch (IOException e) {
            context.console().println("warning: pushgateway: could not " + what + " " + group + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
