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
import java.util.Locale;

/**
 * Pushes the Prometheus text format of the run's registry with the Pushgateway's HTTP API: {@code PUT
 * /metrics/job/<job>/<label>/<value>...} replaces the run's group; {@code DELETE} on the same URL removes it.
 *
 * <p>Pushes go out from a thread of their own, so that a Pushgateway that is slow, hangs or refuses costs training
 * nothing. Only the latest values matter: an epoch that asks for a push while one is under way leaves one push
 * pending, of the meters as they are when it is sent, whatever the number of epochs that asked. At the end the run
 * waits at most {@code timeout_seconds} for its last push (which cuts short a push still under way). A push that fails
 * is one warning line on the console, not repeated until a push has got through again; the run directory keeps every
 * value anyway.
 */
final class PushgatewayMetricsExporter implements MetricsExporter {
    private final URI base;
    private final String job;
    private final List<String> grouping;
    private final int every;
    private final boolean deleteOnFinish;
    private final Duration timeout;
    private HttpClient client;
    private PrometheusMeterRegistry prometheus;
    private ExportContext context;
    private URI group;
    private Thread pusher;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}: a push is wanted. */
    private boolean pending;
    /** Guarded by {@link #lock}: the run has ended; push once more (then delete), and stop. */
    private boolean finishing;
    /** Guarded by {@link #lock}: the pusher is sending a push that the last one supersedes. */
    private boolean sendingSuperseded;
    /** Guarded by {@link #lock}: the pusher has stopped. */
    private boolean stopped;
    /** Guarded by {@link #lock}: the run stopped waiting for the pusher, which must then say nothing more. */
    private boolean abandoned;
    /** Guarded by {@link #lock}: a failure since the last push that got through has been reported. */
    private boolean warned;

    PushgatewayMetricsExporter(
            URI base, String job, List<String> grouping, int every, boolean deleteOnFinish, double timeoutSeconds) {
        this.base = base;
        this.job = job;
        this.grouping = grouping;
        this.every = every;
        this.deleteOnFinish = deleteOnFinish;
        this.timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
    }

    @Override
    public void open(ExportContext context) {
        this.context = context;
        client = HttpClient.newBuilder().connectTimeout(timeout).build();
        prometheus = Prometheus.registry();
        context.registry().add(prometheus);
        var url = new StringBuilder(base.toString().replaceAll("/+$", ""))
                .append("/metrics/job")
                .append(segment(job));
        for (String label : grouping) {
            url.append('/')
                    .append(label)
                    .append(segment(label.equals("experiment") ? context.experiment() : context.runId()));
        }
        group = URI.create(url.toString());
        pusher = new Thread(this::pushUntilFinished, "runner-pushgateway");
        pusher.setDaemon(true);
        pusher.start();
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
        if (every > 0 && metrics.epoch() % every == 0) {
            synchronized (lock) {
                pending = true;
                lock.notifyAll();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (context == null) return;
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean gaveUp = false;
        synchronized (lock) {
            finishing = true;
            if (sendingSuperseded) pusher.interrupt(); // the last push carries newer values: it goes now
            lock.notifyAll();
            try {
                for (long left = timeout.toNanos(); !stopped && left > 0; left = deadline - System.nanoTime()) {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!stopped) {
                abandoned = true;
                pusher.interrupt();
                gaveUp = !warned;
            }
        }
        if (gaveUp) {
            context.console()
                    .println("warning: pushgateway: could not push to " + group + ": no answer within "
                            + String.format(Locale.ROOT, "%.3g", timeout.toMillis() / 1000.0)
                            + " s (timeout_seconds); the run directory keeps every value");
        }
        context.registry().remove(prometheus);
        prometheus.close();
    }

    /** The pusher thread: a push whenever one is pending, until the run ends; then the last push, and the delete. */
    private void pushUntilFinished() {
        try {
            while (true) {
                boolean last;
                synchronized (lock) {
                    while (!pending && !finishing) lock.wait();
                    last = finishing;
                    pending = false;
                    sendingSuperseded = !last;
                }
                boolean pushed = push();
                synchronized (lock) {
                    sendingSuperseded = false;
                    if (!last) Thread.interrupted(); // an interrupt meant for the push just cut short, not for the next
                }
                if (last) {
                    if (pushed && deleteOnFinish)
                        send(
                                HttpRequest.newBuilder(group)
                                        .timeout(timeout)
                                        .DELETE()
                                        .build(),
                                "delete");
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the run has stopped waiting
        } finally {
            synchronized (lock) {
                stopped = true;
                lock.notifyAll();
            }
        }
    }

    private boolean push() throws InterruptedException {
        String exposition;
        try {
            exposition = prometheus.scrape();
        } catch (RuntimeException e) {
            warn("could not read the meters to push to " + group + ": " + e);
            return false;
        }
        var request = HttpRequest.newBuilder(group)
                .timeout(timeout)
                .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(exposition))
                .build();
        return send(request, "push to");
    }

    /** Sends {@code request}; whether it got through. A push cut short returns false and says nothing. */
    private boolean send(HttpRequest request, String what) throws InterruptedException {
        String failure;
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                synchronized (lock) {
                    warned = false;
                }
                return true;
            }
            failure = what + " " + group + " answered " + response.statusCode() + ": "
                    + response.body().strip();
        } catch (IOException | RuntimeException e) {
            failure = "could not " + what + " " + group + ": " + e;
        } catch (InterruptedException e) {
            synchronized (lock) {
                if (abandoned || !finishing) throw e;
            }
            return false; // a push the last one supersedes, cut short: no failure to report
        }
        warn(failure);
        return false;
    }

    /** Reports a failure on the console, unless one has been since the last push that got through. */
    private void warn(String failure) {
        synchronized (lock) {
            if (warned || abandoned) return;
            warned = true;
        }
        context.console().println("warning: pushgateway: " + failure.replaceAll("\\s*\\R\\s*", " "));
    }
}
