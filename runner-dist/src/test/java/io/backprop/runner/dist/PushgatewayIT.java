package io.backprop.runner.dist;

import static io.backprop.runner.dist.MetricsIT.concat;
import static io.backprop.runner.dist.MetricsIT.experiment;
import static io.backprop.runner.dist.MetricsIT.freePort;
import static io.backprop.runner.dist.MetricsIT.get;
import static io.backprop.runner.dist.MetricsIT.lastLine;
import static io.backprop.runner.dist.MetricsIT.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.dist.RunnerJarIT.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pushgateway exporter against Debian's prometheus-pushgateway, started here on a free port of loopback: the
 * pushed values must equal what the run recorded. In the services profile ({@code mvn verify -Pservices}).
 */
@Tag("services")
class PushgatewayIT {
    private static final String PUSHGATEWAY = "/usr/bin/prometheus-pushgateway";
    private static Process gateway;
    private static int gatewayPort;

    @BeforeAll
    static void startPushgateway(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(Path.of(PUSHGATEWAY))) {
            fail("the Pushgateway tests need Debian's prometheus-pushgateway: apt-get install prometheus-pushgateway");
        }
        gatewayPort = freePort();
        gateway = new ProcessBuilder(PUSHGATEWAY, "--web.listen-address=127.0.0.1:" + gatewayPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pushgateway.log").toFile())
                .start();
        for (int i = 0; i < 100; i++) {
            try {
                get("http://127.0.0.1:" + gatewayPort + "/-/ready");
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        fail("the Pushgateway did not start: " + Files.readString(dir.resolve("pushgateway.log")));
    }

    @AfterAll
    static void stopPushgateway() throws InterruptedException {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRunPushesItsSeriesWithTheFinalValues(@TempDir Path dir) throws Exception {
        String url = "http://127.0.0.1:" + gatewayPort;
        Path file = experiment(dir, "{name: pushgateway, url: '" + url + "', job: it-job, every: 5}", 12);
        Result r = RunnerJarIT.run(dir, file.toString());
        assertEquals(0, r.exitCode(), String.join("\n", r.err()));
        Path run = dir.resolve(r.out().get(r.out().size() - 1));
        JsonNode summary =
                new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        String runId = summary.get("run").asText();
        String metrics = get(url + "/metrics");
        String[] group = {"job=\"it-job\"", "experiment=\"watched\"", "run=\"" + runId + "\""};
        assertEquals(
                summary.get("train").get("loss").doubleValue(),
                series(metrics, "runner_loss", concat(group, "split=\"train\"")));
        assertEquals(
                summary.get("validation").get("accuracy").doubleValue(),
                series(metrics, "runner_accuracy", concat(group, "split=\"validation\"")));
        assertEquals(12.0, series(metrics, "runner_epochs_total", group));
        JsonNode last = lastLine(run);
        assertEquals(
                last.get("layer_0_gradient_norm").doubleValue(),
                series(metrics, "runner_gradient_norm", concat(group, "layer=\"0\"")));
        assertEquals(
                last.get("layer_1_weight_norm").doubleValue(),
                series(metrics, "runner_weight_norm", concat(group, "layer=\"1\"")));
        assertTrue(series(metrics, "push_time_seconds", group) > 0, "the Pushgateway's own record of the push");
    }

    @Test
    void deleteOnFinishLeavesNothingBehind(@TempDir Path dir) throws Exception {
        String url = "http://127.0.0.1:" + gatewayPort;
        Path file =
                experiment(dir, "{name: pushgateway, url: '" + url + "', job: it-deleted, delete_on_finish: true}", 3);
        Result r = RunnerJarIT.run(dir, file.toString());
        assertEquals(0, r.exitCode(), String.join("\n", r.err()));
        assertFalse(get(url + "/metrics").contains("it-deleted"), "the run's group should be gone");
    }
}
