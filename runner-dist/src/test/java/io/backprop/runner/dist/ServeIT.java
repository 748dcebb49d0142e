package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}, run as users run it: runner.jar in a process of its own on an ephemeral port, called over real HTTP. */
class ServeIT {
    private static final Path JAR = Path.of(System.getProperty("runner.jar", "../runner.jar"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERVING =
            Pattern.compile("serving (\\S+) on http://127\\.0\\.0\\.1:(\\d+)/v1/models/\\1 .*");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final String IRIS_CSV = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n"
            + "5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n5.9,3.0,4.2,1.5\n4.4,2.9,1.4,0.2\n6.3,2.5,4.9,1.5\n";

    /** A serve process and the base URL it printed. */
    record Server(Process process, String base, Path err) implements AutoCloseable {
        static Server start(Path dir, String... args) throws IOException {
            return start(dir, List.of(), args);
        }

        /** With {@code jvm}'s options (system properties) before {@code -jar}. */
        static Server start(Path dir, List<String> jvm, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvm);
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(), "serve"));
            command.addAll(List.of(args));
            command.addAll(List.of("--port", "0"));
            Path err = Files.createTempFile(dir, "serve", ".err");
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectError(err.toFile())
                    .start();
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null, "serve printed nothing: " + Files.readString(err));
            Matcher m = SERVING.matcher(line);
            assertTrue(m.matches(), line);
            return new Server(process, "http://127.0.0.1:" + m.group(2), err);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static Path train(Path dir, String experiment, String... sets) {
        List<String> args = new ArrayList<>(List.of(
                ExperimentsTest.EXPERIMENTS.resolve(experiment).toString(),
                "--out",
                dir.resolve("runs").toString(),
                "--quiet"));
        for (String s : sets) args.addAll(List.of("--set", s));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        return ExperimentsTest.runDirectory(cli);
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** predict --json on the CSV: one object per row. */
    private static List<JsonNode> predict(Path run, Path dir, String csv) throws IOException {
        Path input = Files.writeString(dir.resolve("rows.csv"), csv);
        Cli cli = Cli.run("predict", run.toString(), "--input", input.toString(), "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        List<JsonNode> rows = new ArrayList<>();
        for (String line : cli.outLines()) rows.add(JSON.readTree(line));
        return rows;
    }

    @Test
    @Timeout(300)
    void irisAnswersAsPredictDoesRefusesBadRequestsCountsThemAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Path run = train(dir, "iris.yaml", "training.max_epochs=10");
        List<JsonNode> expected = predict(run, dir, IRIS_CSV);
        try (Server server = Server.start(dir, run.toString())) {
            String model = server.base() + "/v1/models/iris";
            HttpResponse<String> meta = get(model);
            assertEquals(200, meta.statusCode(), meta.body());
            JsonNode m = JSON.readTree(meta.body());
            assertEquals("iris", m.get("name").asText());
            assertTrue(m.get("ready").asBoolean());
            assertEquals(
                    "[\"sepal_length_cm\",\"sepal_width_cm\",\"petal_length_cm\",\"petal_width_cm\"]",
                    m.get("inputs").toString());
            assertEquals("[\"0\",\"1\",\"2\"]", m.get("classes").toString());

            // Rows as objects in any order of keys (a label is ignored), and as arrays in column order.
            var rows = new StringBuilder("{\"instances\": [");
            String[] lines = IRIS_CSV.split("\n");
            for (int r = 1; r < lines.length; r++) {
                String[] v = lines[r].split(",");
                if (r % 2 == 1) {
                    rows.append("{\"petal_width_cm\": ")
                            .append(v[3])
                            .append(", \"label\": \"1\", \"sepal_length_cm\": ")
                            .append(v[0])
                            .append(", \"petal_length_cm\": ")
                            .append(v[2])
                            .append(", \"sepal_width_cm\": ")
                            .append(v[1])
                            .append('}');
                } else {
                    rows.append('[').append(lines[r]).append(']');
                }
                rows.append(r + 1 < lines.length ? ", " : "]}");
            }
            HttpResponse<String> answer = post(model + ":predict", rows.toString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(
                    "application/json",
                    answer.headers().firstValue("Content-Type").orElse(""));
            // As long as Java 17's HttpClient keeps an idle connection; the server keeps it 60 s more.
            assertEquals(
                    "timeout=1200", answer.headers().firstValue("Keep-Alive").orElse(""));
            JsonNode predictions = JSON.readTree(answer.body()).get("predictions");
            assertEquals(expected.size(), predictions.size());
            for (int r = 0; r < expected.size(); r++) {
                JsonNode p = predictions.get(r);
                assertEquals(
                        expected.get(r).get("class").asText(), p.get("class").asText(), "row " + r);
                for (String c : List.of("0", "1", "2")) {
                    assertEquals(
                            expected.get(r).get("p_" + c).doubleValue(),
                            p.get("probabilities").get(c).doubleValue(),
                            "row " + r + ", the bits of predict");
                }
            }

            assertError(
                    post(model + ":predict", "{\"instances\": [{\"sepal_length_cm\": 5.1}]}"),
                    400,
                    "instances[0].sepal_width_cm: missing; expected columns sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm");
            assertError(
                    post(model + ":predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [5.1, \"3.5\", 1.4, 0.2]]}"),
                    400,
                    "instances[1][1]: expected a number, got the string \"3.5\"");
            assertError(
                    post(
                            model + ":predict",
                            "{\"instances\": [{\"sepal_length_cm\": 5.1, \"sepal_width_cm\": 3.5, \"petal_length_cm\": 1.4,"
                                    + " \"petal_width_cm\": 0.2, \"petal_colour\": 3}]}"),
                    400,
                    "instances[0].petal_colour: unknown column; expected columns sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm");
            assertError(
                    post(model + ":predict", "{\"instances\": [[5.1, 3.5, 1.4]]}"),
                    400,
                    "instances[0]: has 3 values; the model takes 4; expected columns sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm");
            assertError(
                    post(model + ":predict", "{\"inputs\": []}"),
                    400,
                    "instances: missing; expected {\"instances\": [...]}, a row per instance");
            assertTrue(
                    JSON.readTree(post(model + ":predict", "{\"instances\": [").body())
                            .get("error")
                            .asText()
                            .startsWith("the body is not JSON: "));
            String large = "{\"instances\": [" + "[5.1, 3.5, 1.4, 0.2],".repeat(60_000) + "[5.1, 3.5, 1.4, 0.2]]}";
            assertError(
                    post(model + ":predict", large),
                    413,
                    "the body has " + large.length() + " bytes; at most 1048576 are taken (serve --max-body-bytes)");
            HttpResponse<String> chunked = HTTP.send(
                    HttpRequest.newBuilder(URI.create(model + ":predict"))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new java.io.ByteArrayInputStream(large.getBytes(StandardCharsets.UTF_8))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(
                    chunked,
                    413,
                    "the body has more than 1048576 bytes; at most that many are taken (serve --max-body-bytes)");
            assertError(
                    post(server.base() + "/v1/models/irises:predict", "{\"instances\": []}"),
                    404,
                    "no model 'irises'; this server serves 'iris'");
            assertEquals(405, get(model + ":predict").statusCode());
            assertEquals(
                    "{\"predictions\":[]}",
                    post(model + ":predict", "{\"instances\": []}").body());

            String metrics = get(server.base() + "/metrics").body();
            assertTrue(
                    metrics.contains(
                            "runner_serve_requests_seconds_count{endpoint=\"predict\",model=\"iris\",status=\"200\"} 2"),
                    metrics);
            assertTrue(
                    metrics.contains(
                            "runner_serve_errors_total{endpoint=\"predict\",model=\"iris\",status=\"400\"} 6.0"),
                    metrics);
            assertTrue(
                    metrics.contains(
                            "runner_serve_errors_total{endpoint=\"predict\",model=\"iris\",status=\"413\"} 2.0"),
                    metrics);
            assertTrue(
                    metrics.contains(
                            "runner_serve_requests_seconds_bucket{endpoint=\"predict\",model=\"iris\",status=\"200\",le=\"+Inf\"} 2"),
                    metrics);
            assertTrue(
                    metrics.contains("runner_serve_instances_total{model=\"iris\"} " + expected.size() + ".0"),
                    metrics);

            server.process().destroy(); // SIGTERM
            assertTrue(server.process().waitFor(20, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
            assertEquals(0, server.process().exitValue());
            List<String> err = Files.readAllLines(server.err());
            assertEquals("runner: SIGTERM: stopping; letting requests under way finish (at most 10 s)", err.get(0));
            assertTrue(err.get(1).matches("runner: stopped after \\d+ requests"), err.toString());
        }
    }

    /** An answer read off a raw socket: status line, headers by lower-case name, body. */
    record RawAnswer(String status, Map<String, String> headers, String body) {}

    /** POSTs {@code body} to {@code path} on the socket's connection, kept alive, and reads the whole answer. */
    private static RawAnswer rawPost(Socket socket, String path, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + content.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(content);
        out.flush();
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        String status = line(in);
        Map<String, String> headers = new HashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim());
        }
        byte[] answer = new byte[Integer.parseInt(headers.get("content-length"))];
        in.readFully(answer);
        return new RawAnswer(status, headers, new String(answer, StandardCharsets.UTF_8));
    }

    /** A CRLF-ended line; the connection's end before it is an error, naming what was read. */
    private static String line(InputStream in) throws IOException {
        var line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new EOFException("the server closed the connection; read '" + line + "'");
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }

    @Test
    @Timeout(300)
    void aKeptAliveConnectionIsAnsweredUntilItsAnnouncedTimeoutAndThenClosedCleanly(@TempDir Path dir)
            throws Exception {
        Path run = train(dir, "iris.yaml", "training.max_epochs=3");
        // The JDK's idle interval shortened to 4 s, checked every 100 ms: the answers announce 4 - 2 s.
        List<String> jvm = List.of("-Dsun.net.httpserver.idleInterval=4", "-Dsun.net.httpserver.clockTick=100");
        try (Server server = Server.start(dir, jvm, run.toString());
                Socket socket = new Socket()) {
            String path = "/v1/models/iris:predict";
            String body = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";
            URI uri = URI.create(server.base());
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            socket.setSoTimeout(20_000);
            RawAnswer first = rawPost(socket, path, body);
            assertEquals("HTTP/1.1 200 OK", first.status(), first.body());
            assertEquals("timeout=2", first.headers().get("keep-alive"));
            assertEquals(200, post(server.base() + path, body).statusCode()); // a pooled connection, idle from now

            // A client that trusts the header may send on the idle connection until the timeout is up.
            Thread.sleep(2_000);
            RawAnswer second = rawPost(socket, path, body);
            assertEquals("HTTP/1.1 200 OK", second.status(), "after 2 s idle: " + second.body());
            assertEquals(first.body(), second.body());

            // Past the idle interval the server ends the connection, cleanly: an end of stream, not a reset.
            Thread.sleep(4_500);
            assertEquals(-1, socket.getInputStream().read(), "the server ends an idle connection");
            // java.net.http saw its pooled connection end, and asks on a new one.
            HttpResponse<String> later = post(server.base() + path, body);
            assertEquals(200, later.statusCode(), later.body());
            assertEquals(first.body(), later.body());
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(error, JSON.readTree(response.body()).get("error").asText());
    }

    @Test
    @Timeout(300)
    void aRegressionAnswersItsValues(@TempDir Path dir) throws Exception {
        Path run = train(dir, "sine.yaml", "training.max_epochs=5");
        String csv = "x\n0.5\n-1.25\n3\n";
        List<JsonNode> expected = predict(run, dir, csv);
        try (Server server = Server.start(dir, run.toString())) {
            JsonNode meta = JSON.readTree(get(server.base() + "/v1/models/sine").body());
            assertEquals("regression", meta.get("task").asText());
            // sine's inputs have no names: rows are arrays.
            assertError(
                    post(server.base() + "/v1/models/sine:predict", "{\"instances\": [[0.5], {\"x\": -1.25}]}"),
                    400,
                    "instances[1]: the model does not name its columns; send each row as an array of 1 numbers");
            HttpResponse<String> answer =
                    post(server.base() + "/v1/models/sine:predict", "{\"instances\": [[0.5], [-1.25], [3]]}");
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode predictions = JSON.readTree(answer.body()).get("predictions");
            for (int r = 0; r < 3; r++)
                assertEquals(
                        expected.get(r).get("value").doubleValue(),
                        predictions.get(r).doubleValue(),
                        "row " + r);
        }
    }

    /**
     * A client for one thread's load: its connection kept alive from one request to the next, and nothing retried,
     * so that a connection the server drops fails the test. (Java 17's HttpClient can hand a reused connection's
     * answer to its pool's idle watcher, JDK-8338569, and then fails the request itself.)
     */
    static CloseableHttpClient keptAlive() {
        return HttpClients.custom().disableAutomaticRetries().build();
    }

    /** The status and body of a predict request's answer, as "200 {...}". */
    static String predict(CloseableHttpClient http, String url, String body) throws IOException {
        HttpPost request = new HttpPost(url);
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return http.execute(request, r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
    }

    @Test
    @Timeout(300)
    void thousandsOfRequestsFromSeveralThreadsAllSucceed(@TempDir Path dir) throws Exception {
        Path run = train(dir, "iris.yaml", "training.max_epochs=3");
        int clients = 4;
        int each = 1000;
        try (Server server = Server.start(dir, run.toString(), "--threads", "4")) {
            String url = server.base() + "/v1/models/iris:predict";
            try (CloseableHttpClient http = keptAlive()) { // warm up the server's JIT
                for (int i = 0; i < 200; i++) predict(http, url, "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");
            }
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<long[]>> results = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    long[] nanos = new long[each];
                    try (CloseableHttpClient http = keptAlive()) {
                        for (int i = 0; i < each; i++) {
                            String body = "{\"instances\": [[" + (4.3 + (client * each + i) % 36 / 10.0)
                                    + ", 3.0, 4.0, 1.2]]}";
                            long t = System.nanoTime();
                            String answer = predict(http, url, body);
                            nanos[i] = System.nanoTime() - t;
                            if (!answer.startsWith("200 {\"predictions\":[{\"class\":")) {
                                throw new AssertionError("request " + i + " of client " + client + ": " + answer);
                            }
                        }
                    }
                    return nanos;
                }));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(240, TimeUnit.SECONDS), "the load did not finish in time");
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] all = new long[clients * each];
            for (int c = 0; c < clients; c++) System.arraycopy(results.get(c).get(), 0, all, c * each, each);
            Arrays.sort(all);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "serve load: %d requests from %d threads in %.2f s (%.0f/s); latency p50 %.2f ms, p99 %.2f ms%n",
                    all.length,
                    clients,
                    seconds,
                    all.length / seconds,
                    all[all.length / 2] / 1e6,
                    all[(int) (all.length * 0.99)] / 1e6);
            String metrics = get(server.base() + "/metrics").body();
            assertTrue(
                    metrics.contains(
                            "runner_serve_requests_seconds_count{endpoint=\"predict\",model=\"iris\",status=\"200\"} "
                                    + (all.length + 200)),
                    metrics);
            assertTrue(!metrics.contains("runner_serve_errors_total"), "no errors: " + metrics);
        }
    }
}
