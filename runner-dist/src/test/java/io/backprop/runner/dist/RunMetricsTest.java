package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run's meters say, and that exporters neither slow nor fail a run. */
class RunMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path experiment(Path dir, String exporter, int maxEpochs) throws IOException {
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

    @Test
    void examplesPerSecondIsOneFigureInTheSummaryTheMeterMetricsJsonlAndTheConsole(@TempDir Path dir) throws Exception {
        Path file = experiment(dir, "console", 40);
        Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString());
        assertEquals(0, cli.exitCode(), cli.err());
        Path run = ExperimentsTest.runDirectory(cli);
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        double perSecond = summary.get("examples_per_second").doubleValue();
        // The training steps alone: the evaluation after each epoch is not in the time.
        assertEquals(
                summary.get("examples").doubleValue()
                        / summary.get("training_loop_seconds").doubleValue(),
                perSecond);
        assertTrue(summary.get("training_loop_seconds").doubleValue()
                < summary.get("training_seconds").doubleValue());

        String prom = Files.readString(run.resolve("metrics.prom"));
        assertEquals(
                perSecond, MetricsIT.series(prom, "runner_examples_per_second", "experiment=\"watched\""), "the meter");
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(40, lines.size());
        assertEquals(
                perSecond,
                JSON.readTree(lines.get(lines.size() - 1))
                        .get("examples_per_second")
                        .doubleValue(),
                "metrics.jsonl");
        String console = String.format(Locale.ROOT, "  runner.examples.per.second value=%.6g", perSecond);
        assertTrue(
                cli.err().lines().toList().contains(console),
                "console exporter, expected " + console + " in:\n" + cli.err());
        assertTrue(
                cli.outLines()
                        .get(cli.outLines().size() - 2)
                        .endsWith(String.format(Locale.ROOT, ", %.0f examples/s", perSecond)),
                cli.out());
    }

    /** A server on loopback that accepts every connection and never answers. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            var acceptor = new Thread(
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

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) s.close();
        }
    }

    @Test
    void aPushgatewayThatHangsCostsTrainingNothingAndIsOneWarning(@TempDir Path dir) throws Exception {
        try (var gateway = new SilentServer()) {
            // A push a blocked epoch waited for would cost 30 times timeout_seconds.
            Path file = experiment(
                    dir,
                    "{name: pushgateway, url: 'http://127.0.0.1:" + gateway.socket.getLocalPort()
                            + "', every: 1, timeout_seconds: 1}",
                    30);
            long started = System.nanoTime();
            Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString());
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(0, cli.exitCode(), cli.err());
            assertTrue(seconds < 12, "the run took " + seconds + " s");
            assertFalse(gateway.accepted.isEmpty(), "the run tried to push");
            JsonNode summary = JSON.readTree(
                    ExperimentsTest.runDirectory(cli).resolve("summary.json").toFile());
            assertTrue(summary.get("training_seconds").doubleValue() < 8, summary.toString());
            assertEquals(1, cli.errLines().size(), cli.err());
            assertTrue(
                    cli.err()
                            .startsWith("warning: pushgateway: could not push to http://127.0.0.1:"
                                    + gateway.socket.getLocalPort()
                                    + "/metrics/job/backprop-runner/experiment/watched/run/"),
                    cli.err());
        }
    }

    @Test
    void aPrometheusPortInUseIsBadInputAndMakesNoRunDirectory(@TempDir Path dir) throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path file = experiment(dir, "{name: prometheus, port: " + port + "}", 3);
            Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString());
            assertEquals(2, cli.exitCode(), cli.err());
            assertEquals(
                    List.of(file
                            + ":9:36: metrics.exporters[1]: metrics exporter 'prometheus': cannot serve metrics on 127.0.0.1:"
                            + port + ": Address already in use; choose another port (port: 0 takes any free one)"),
                    cli.errLines());
            assertFalse(Files.exists(dir.resolve("runs")), "no run directory for a run that could not start");
        }
        // The port let go, the same experiment runs.
        Path file = experiment(dir, "{name: prometheus, port: 0}", 3);
        Cli cli = Cli.run(file.toString(), "--out", dir.resolve("runs").toString());
        assertEquals(0, cli.exitCode(), cli.err());
    }
}
