package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} refuses before it listens (ServeIT calls a running one). */
class ServeTest {
    @Test
    void aPortInUseOrOutOfRangeIsBadInputInOneLine(@TempDir Path dir) throws Exception {
        Cli train = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString(),
                "--out",
                dir.toString(),
                "--quiet",
                "--set",
                "training.max_epochs=2");
        Path run = ExperimentsTest.runDirectory(train);
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli cli = Cli.run("serve", run.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(2, cli.exitCode(), cli.err());
            assertEquals(1, cli.errLines().size(), cli.err());
            assertEquals(
                    "--port: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use; choose another port, or 0 for any free one",
                    cli.errLines().get(0));
        }
        Cli range = Cli.run("serve", run.toString(), "--port", "70000");
        assertEquals(2, range.exitCode());
        assertEquals(List.of("--port: expected 0 to 65535, got 70000"), range.errLines());
    }
}
