package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.dist.RunnerJarIT.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporters against peers that need no service: an HTTP client scraping the prometheus exporter while a run goes
 * on (values must equal what the run recorded), and a Pushgateway that is not there. {@link PushgatewayIT} pushes to
 * a real one.
 */
class MetricsIT {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String get(String url) throws IOException, InterruptedException {
        var response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    static Path experiment(Path dir, String exporter, int maxEpochs) throws IOException {
        return Files.writeString(dir.resolve("watched.yaml"), """
                name: watched
                seed: 3
                data: {train: {name: spirals, samples: 100}, validation: {split: 0.2}}
                model:
                  layers: [{units: 32, activation: relu}, {units: 3, activation: softmax}]
                  initializer: he-normal
                cost: cross-entropy
                training: {optimizer: {name: adam, learning_rate: 0.01}, batch_size: 8, max_epochs: MAX}
                metrics: {exporters: [file, EXPORTER]}
                """.replace("EXPORTER", exporter)
                .replace("MAX", Integer.toString(maxEpochs)));
    }

    /** The value of the series whose line starts with {@code name{} and holds every one of {@code labels}. */
    static double series(String exposition, String name, String... labels) {
        for (String line : exposition.lines().toList()) {
            if (!line.startsWith(name + "{")) continue;
            boolean all = true;
            for (String label : labels) all &= line.contains(label);
            if (all) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        throw new AssertionError("no series " + name + " with " + List.of(labels) + " in:\n" + exposition);
    }

    @Test
    void anUnreachablePushgatewayIsAWarningNotAFailedRun(@TempDir Path dir) throws Exception {
        Path file = experiment(dir, "{name: pushgateway, url: 'http://127.0.0.1:" + freePort() + "', every: 0}", 2);
        Result r = RunnerJarIT.run(dir, file.toString());
        assertEquals(0, r.exitCode());
        assertEquals(1, r.err().size(), String.join("\n", r.err()));
        assertTrue(
                r.err().get(0).startsWith("warning: pushgateway: could not push to http://127.0.0.1:"),
                r.err().get(0));
    }

    @Test
    void aScrapeDuringTheRunSeesTheEpochsLiveValues(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path file = experiment(dir, "{name: prometheus, port: " + port + "}", 400);
        var run = new Thread(
                () -> Cli.run(file.toString(), "--out", dir.resolve("runs").toString()));
        run.start();
        String scraped = null;
        double epochs = 0;
        for (int i = 0; i < 600 && run.isAlive(); i++) {
            try {
                String body = get("http://127.0.0.1:" + port + "/metrics");
                if (body.contains("runner_epochs_total{")) {
                    epochs = series(body, "runner_epochs_total", "experiment=\"watched\"");
                    if (epochs >= 3) {
                        scraped = body;
                        break;
                    }
                }
            } catch (IOException e) {
                // not serving yet
            }
            Thread.sleep(20);
        }
        run.join(120_000);
        assertTrue(scraped != null, "no scrape caught the run while it lasted");
        assertTrue(epochs < 400, "the scrape came during the run, not after");
        double loss = series(scraped, "runner_loss", "split=\"train\"");
        List<String> lines =
                Files.readAllLines(onlyRun(dir.resolve("runs/watched")).resolve("metrics.jsonl"));
        var json = new ObjectMapper();
        // One scrape reads the meters one after another while training goes on, so its counter and its loss may be
        // a few epochs apart; the loss must be exactly the engine's loss of an epoch of this run, before its end.
        List<Double> recorded = new java.util.ArrayList<>();
        for (String line : lines)
            recorded.add(json.readTree(line).get("train_loss").doubleValue());
        int at = recorded.indexOf(loss) + 1;
        assertTrue(at >= 1, "scraped loss " + loss + " is no epoch's loss; recorded " + recorded);
        assertTrue(at < 400, "the scrape came during the run, not after");
    }

    private static Path onlyRun(Path experimentRuns) throws IOException {
        try (var runs = Files.list(experimentRuns)) {
            return runs.findFirst().orElseThrow();
        }
    }

    static JsonNode lastLine(Path run) throws IOException {
        var lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    static String[] concat(String[] a, String b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + 1);
        all[a.length] = b;
        return all;
    }
}
