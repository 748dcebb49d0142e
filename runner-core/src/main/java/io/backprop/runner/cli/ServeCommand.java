package io.backprop.runner.cli;

import io.backprop.runner.serve.PredictionServer;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Serve a run's model over HTTP, in the KServe / TensorFlow Serving v1 protocol: GET /v1/models/NAME,"
                        + " POST /v1/models/NAME:predict with {\"instances\": [...]}, and /metrics for Prometheus. NAME is the"
                        + " experiment's name. Runs until SIGTERM or SIGINT, which let the requests under way finish.")
final class ServeCommand implements Callable<Integer>, Main.Streams {
    @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
    Path run;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            description = "The address to listen on (default 127.0.0.1, this machine only;"
                    + " 0.0.0.0 for every interface).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "The port (default 8080; 0: any free one, printed).")
    int port = 8080;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Worker threads answering requests (default: the cores).")
    Integer threads;

    @Option(
            names = "--max-body-bytes",
            paramLabel = "BYTES",
            description = "The largest request body taken; a larger one is" + " answered 413 (default 1048576).")
    int maxBodyBytes = 1 << 20;

    @Option(
            names = "--grace-seconds",
            paramLabel = "SECONDS",
            description = "How long requests under way may take to finish" + " after SIGTERM (default 10).")
    int graceSeconds = 10;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    private final PrintStream stdout;
    private final PrintStream stderr;

    ServeCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65535)
            throw new SpecException(Where.of("--port").problem("expected 0 to 65535, got " + port));
        if (threads != null && threads < 1)
            throw new SpecException(Where.of("--threads").problem("expected 1 or more, got " + threads));
        if (maxBodyBytes < 1)
            throw new SpecException(Where.of("--max-body-bytes").problem("expected 1 or more, got " + maxBodyBytes));
        if (graceSeconds < 0)
            throw new SpecException(Where.of("--grace-seconds").problem("expected 0 or more, got " + graceSeconds));
        SavedRun saved = SavedRun.model(run, plugins, stderr);
        String name = saved.experiment().name();
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        PredictionServer server;
        try {
            server = new PredictionServer(saved.model(), name, host, port, workers, maxBodyBytes);
        } catch (BindException e) {
            throw new SpecException(Where.of("--port")
                    .problem("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                            + "; choose another port, or 0 for any free one"));
        } catch (java.net.SocketException | java.nio.channels.UnresolvedAddressException e) {
            throw new SpecException(Where.of("--host").problem("cannot listen on " + host + ": " + e.getMessage()));
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<String> signal = new AtomicReference<>();
        for (String s : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(s), received -> {
                    signal.compareAndSet(null, "SIG" + received.getName());
                    stop.countDown();
                });
            } catch (IllegalArgumentException e) {
                // The JVM runs with -Xrs, or the platform lacks the signal: it keeps its default action.
            }
        }
        stdout.println("serving " + name + " on http://" + host + ":" + server.port() + "/v1/models/" + name
                + " (POST .../" + name + ":predict; /metrics)");
        stdout.flush();
        stop.await();
        stderr.println("runner: " + signal.get() + ": stopping; letting requests under way finish (at most "
                + graceSeconds + " s)");
        server.stop(graceSeconds);
        stderr.println("runner: stopped after " + server.requests() + " requests");
        return Main.OK;
    }
}
