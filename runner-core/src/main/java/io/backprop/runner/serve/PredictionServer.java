package io.backprop.runner.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.backprop.runner.engine.Network;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.run.SavedModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A saved model behind the KServe / TensorFlow Serving v1 HTTP protocol: {@code GET /v1/models/<name>} (ready, its
 * input columns and classes), {@code POST /v1/models/<name>:predict} with {@code {"instances": [...]}} (rows as
 * objects keyed by column, or arrays in column order) answering {@code {"predictions": [...]}}, and {@code /metrics}
 * in Prometheus text. Requests run on a pool of worker threads sharing the read-only model; each worker has a
 * network of its own, since a network's buffers are written by every forward pass.
 */
public final class PredictionServer implements AutoCloseable {
    /** Rows a worker's network takes at once; a request with more runs them in batches of this size. */
    static final int BATCH = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String IDLE_INTERVAL = "sun.net.httpserver.idleInterval";

    /**
     * The JDK's server keeps an idle connection this many seconds unless {@code sun.net.httpserver.idleInterval}
     * says otherwise: longer than clients and proxies keep theirs by default (Java 17's HttpClient 1200, Go 90, load
     * balancers 60 to 600), so that the client, not the server, ends an idle connection.
     */
    static final long IDLE_SECONDS = 1260;

    /**
     * Seconds an idle connection may still be used, said in each kept-alive answer's {@code Keep-Alive} header: less
     * than the JDK keeps it, since that closes an idle connection on its timer even as a request arrives on it, and
     * the client then gets no answer (a POST is not retried).
     */
    static final long KEEP_ALIVE_SECONDS;

    static {
        // The JDK's server writes headers and body apart; with Nagle's algorithm on, the body then waits for the
        // client's delayed ACK, some 40 ms a request. Read once, when its first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null)
            System.setProperty("sun.net.httpserver.nodelay", "true");
        if (System.getProperty(IDLE_INTERVAL) == null) System.setProperty(IDLE_INTERVAL, Long.toString(IDLE_SECONDS));
        long idle = Long.getLong(IDLE_INTERVAL, 30); // read as the JDK reads it, 30 its default
        if (idle <= 0) idle = 30;
        KEEP_ALIVE_SECONDS = Math.max(1, idle - Math.min(60, idle / 2));
    }

    private final SavedModel model;
    private final String name;
    private final int maxBodyBytes;
    private final HttpServer server;
    private final ExecutorService workers;
    private final ThreadLocal<Network> networks;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter instances;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger underWay = new AtomicInteger();
    private volatile boolean draining;

    /**
     * Binds {@code host:port} (0: any free port) and starts serving {@code model} as {@code name} on {@code threads}
     * workers; a request body over {@code maxBodyBytes} is refused with 413.
     */
    public PredictionServer(SavedModel model, String name, String host, int port, int threads, int maxBodyBytes)
            throws IOException {
        this.model = model;
        this.name = name;
        this.maxBodyBytes = maxBodyBytes;
        this.networks = ThreadLocal.withInitial(() -> {
            synchronized (model) {
                return model.network(BATCH);
            }
        });
        registry.config().commonTags("model", name);
        instances = Counter.builder("runner.serve.instances")
                .description("rows predicted")
                .register(registry);
        server = HttpServer.create(new InetSocketAddress(host, port), 128);
        AtomicInteger worker = new AtomicInteger();
        workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "serve-" + worker.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port the server listens on (the one chosen when asked for 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests answered so far. */
    public int requests() {
        return requests.get();
    }

    /**
     * Answers new requests 503, lets those under way finish for up to {@code graceSeconds}, then closes. (The JDK's
     * own {@code HttpServer.stop(delay)} waits out the whole delay before Java 21, even with nothing under way.)
     */
    public void stop(int graceSeconds) {
        draining = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        try {
            while (underWay.get() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        workers.shutdown();
        registry.close();
    }

    @Override
    public void close() {
        stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String endpoint = "other";
        int status;
        underWay.incrementAndGet();
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String prefix = "/v1/models/";
            if (draining) {
                exchange.getResponseHeaders().set("Connection", "close");
                status = error(exchange, 503, "the server is shutting down");
            } else if (path.equals("/metrics")) {
                endpoint = "metrics";
                status = method.equals("GET")
                        ? send(
                                exchange,
                                200,
                                "text/plain; version=0.0.4; charset=utf-8",
                                registry.scrape().getBytes(StandardCharsets.UTF_8))
                        : notAllowed(exchange, "GET");
            } else if (path.equals("/v1/models")) {
                endpoint = "models";
                status = method.equals("GET")
                        ? json(exchange, 200, Map.of("models", List.of(name)))
                        : notAllowed(exchange, "GET");
            } else if (path.startsWith(prefix) && path.endsWith(":predict")) {
                endpoint = "predict";
                String asked = path.substring(prefix.length(), path.length() - ":predict".length());
                if (!asked.equals(name)) status = unknownModel(exchange, asked);
                else status = method.equals("POST") ? predict(exchange) : notAllowed(exchange, "POST");
            } else if (path.startsWith(prefix)) {
                endpoint = "metadata";
                String asked = path.substring(prefix.length());
                if (!asked.equals(name)) status = unknownModel(exchange, asked);
                else status = method.equals("GET") ? json(exchange, 200, metadata()) : notAllowed(exchange, "GET");
            } else {
                status = error(
                        exchange,
                        404,
                        "no such path '" + path + "'; the model is at /v1/models/" + name + " (GET) and /v1/models/"
                                + name + ":predict (POST), the meters at /metrics");
            }
        } catch (RuntimeException e) {
            // A bug, not the client's: said as such, and the exchange still answered.
            status = error(exchange, 500, "internal error: " + e);
        } finally {
            exchange.close();
            underWay.decrementAndGet();
        }
        requests.incrementAndGet();
        Timer.builder("runner.serve.requests")
                .description("HTTP requests, by endpoint and status")
                .tags("endpoint", endpoint, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (status >= 400) {
            Counter.builder("runner.serve.errors")
                    .description("requests answered with an error, by endpoint and status")
                    .tags("endpoint", endpoint, "status", Integer.toString(status))
                    .register(registry)
                    .increment();
        }
    }

    private Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("ready", true);
        m.put("task", model.task().name().toLowerCase(java.util.Locale.ROOT));
        m.put("inputs", model.columns());
        if (!model.label().isEmpty()) m.put("label", model.label());
        if (model.task() == Dataset.Task.CLASSIFICATION) m.put("classes", model.classes());
        else m.put("outputs", model.outputs());
        return m;
    }

    private int predict(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBodyBytes) {
            discard(exchange.getRequestBody());
            return error(
                    exchange,
                    413,
                    "the body has " + length + " bytes; at most " + maxBodyBytes
                            + " are taken (serve --max-body-bytes)");
        }
        byte[] body = exchange.getRequestBody().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            discard(exchange.getRequestBody());
            return error(
                    exchange,
                    413,
                    "the body has more than " + maxBodyBytes
                            + " bytes; at most that many are taken (serve --max-body-bytes)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return error(
                    exchange,
                    400,
                    "the body is not JSON: " + e.getOriginalMessage() + "; expected {\"instances\": [...]}");
        }
        double[] x;
        try {
            x = rows(root);
        } catch (BadRequest e) {
            return error(exchange, 400, e.getMessage());
        }
        int rows = x.length / Math.max(1, model.inputs());
        model.preprocess(x, rows);
        Network network = networks.get();
        List<Object> predictions = new ArrayList<>(rows);
        double[] xb = new double[BATCH * model.inputs()];
        int k = model.outputs();
        for (int startRow = 0; startRow < rows; startRow += BATCH) {
            int n = Math.min(BATCH, rows - startRow);
            System.arraycopy(x, startRow * model.inputs(), xb, 0, n * model.inputs());
            double[] out = network.forward(xb, n);
            for (int r = 0; r < n; r++) predictions.add(prediction(out, r, k));
        }
        instances.increment(rows);
        return json(exchange, 200, Map.of("predictions", predictions));
    }

    /**
     * Reads what is left of a refused body, up to 64 MiB, so the client reads the answer: closing a connection with
     * unread bytes resets it, and the client sees no answer at all.
     */
    private static void discard(InputStream body) throws IOException {
        byte[] skip = new byte[1 << 16];
        for (long left = 64L << 20; left > 0; ) {
            int n = body.read(skip);
            if (n < 0) return;
            left -= n;
        }
    }

    /** The class and each class's probability, as predict gives them; or the value (the values, for several outputs). */
    private Object prediction(double[] out, int r, int k) {
        if (model.task() == Dataset.Task.REGRESSION) {
            if (k == 1) return out[r];
            List<Double> values = new ArrayList<>(k);
            for (int j = 0; j < k; j++) values.add(out[r * k + j]);
            return values;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        Map<String, Double> probabilities = new LinkedHashMap<>();
        if (k == 1) {
            p.put("class", model.classes().get(out[r] > 0.5 ? 1 : 0));
            probabilities.put(model.classes().get(0), 1 - out[r]);
            probabilities.put(model.classes().get(1), out[r]);
        } else {
            p.put("class", model.classes().get(Dataset.labelOf(out, r, k)));
            for (int j = 0; j < k; j++) probabilities.put(model.classes().get(j), out[r * k + j]);
        }
        p.put("probabilities", probabilities);
        return p;
    }

    /** The instances as {@code rows x inputs}, in the model's column order; a {@link BadRequest} naming the field. */
    private double[] rows(JsonNode root) {
        if (root == null || !root.isObject())
            throw new BadRequest("the body must be a JSON object {\"instances\": [...]}");
        JsonNode instances = root.get("instances");
        if (instances == null)
            throw new BadRequest("instances: missing; expected {\"instances\": [...]}, a row per instance");
        if (!instances.isArray()) throw new BadRequest("instances: expected an array of rows, got " + kind(instances));
        int inputs = model.inputs();
        List<String> columns = model.columns();
        double[] x = new double[instances.size() * inputs];
        for (int r = 0; r < instances.size(); r++) {
            JsonNode row = instances.get(r);
            String at = "instances[" + r + "]";
            if (row.isArray()) {
                if (row.size() != inputs) {
                    throw new BadRequest(
                            at + ": has " + row.size() + " values; the model takes " + inputs + expected());
                }
                for (int i = 0; i < inputs; i++) {
                    x[r * inputs + i] = number(row.get(i), at + "[" + i + "]");
                }
            } else if (row.isObject()) {
                if (columns.isEmpty())
                    throw new BadRequest(at + ": the model does not name its columns; send each row as an array of "
                            + inputs + " numbers");
                boolean[] seen = new boolean[inputs];
                for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                    var field = it.next();
                    if (field.getKey().equals(model.label())) continue;
                    int i = columns.indexOf(field.getKey());
                    if (i < 0) throw new BadRequest(at + "." + field.getKey() + ": unknown column" + expected());
                    seen[i] = true;
                    x[r * inputs + i] = number(field.getValue(), at + "." + field.getKey());
                }
                for (int i = 0; i < inputs; i++) {
                    if (!seen[i]) throw new BadRequest(at + "." + columns.get(i) + ": missing" + expected());
                }
            } else {
                throw new BadRequest(
                        at + ": expected an object keyed by column or an array in column order, got " + kind(row));
            }
        }
        return x;
    }

    private String expected() {
        return model.columns().isEmpty() ? "" : "; expected columns " + String.join(", ", model.columns());
    }

    private static double number(JsonNode value, String at) {
        if (!value.isNumber()) throw new BadRequest(at + ": expected a number, got " + kind(value));
        double v = value.doubleValue();
        if (!Double.isFinite(v)) throw new BadRequest(at + ": " + value + " is out of range of a double");
        return v;
    }

    private static String kind(JsonNode value) {
        String text = value.toString();
        return (value.isTextual()
                        ? "the string "
                        : value.isNull() ? "" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " ")
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    private int unknownModel(HttpExchange exchange, String asked) throws IOException {
        return error(exchange, 404, "no model '" + asked + "'; this server serves '" + name + "'");
    }

    private static int notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        return error(exchange, 405, exchange.getRequestMethod() + " is not allowed here; use " + allowed);
    }

    private static int error(HttpExchange exchange, int status, String message) throws IOException {
        return json(exchange, status, Map.of("error", message));
    }

    private static int json(HttpExchange exchange, int status, Object value) throws IOException {
        return send(exchange, status, "application/json", JSON.writeValueAsBytes(value));
    }

    private static int send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (!closes(exchange.getResponseHeaders()) && !closes(exchange.getRequestHeaders())) {
            exchange.getResponseHeaders().set("Keep-Alive", "timeout=" + KEEP_ALIVE_SECONDS);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    /** Whether these headers end the connection after this exchange (the JDK adds it to HTTP/1.0's answers). */
    private static boolean closes(Headers headers) {
        return "close".equalsIgnoreCase(headers.getFirst("Connection"));
    }

    /** A request the client got wrong; its message names the field. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
