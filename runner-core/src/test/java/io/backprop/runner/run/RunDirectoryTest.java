package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    private static Path run(Path experiment, String name) throws Exception {
        Path run = Files.createDirectories(experiment.resolve(name));
        Files.writeString(run.resolve("config.yaml"), "name: x\n");
        return run;
    }

    @Test
    void withoutLinksLatestIsAFileNamingTheRunAndEveryFormResolvesToIt(@TempDir Path runs) throws Exception {
        Path experiment = runs.resolve("x");
        Path first = run(experiment, "20260101-000000-aaaaaa");
        Path second = run(experiment, "20260101-000001-bbbbbb");
        RunDirectory.pointLatestAt(first, false);
        RunDirectory.pointLatestAt(second, false);
        Path latest = experiment.resolve("latest");
        assertFalse(Files.isSymbolicLink(latest));
        assertEquals("20260101-000001-bbbbbb\n", Files.readString(latest));
        assertEquals(second, RunDirectory.resolve(latest));
        assertEquals(second, RunDirectory.resolve(experiment));
        assertEquals(first, RunDirectory.resolve(first), "a run directory is itself");
        try (Stream<Path> files = Files.list(experiment)) {
            assertEquals(3, files.count(), "no temporary file left");
        }
    }

    @Test
    void aLinkReplacesTheLastAtomicallyAndIsFollowedToTheRunsOwnName(@TempDir Path runs) throws Exception {
        Path experiment = runs.resolve("x");
        Path first = run(experiment, "20260101-000000-aaaaaa");
        Path second = run(experiment, "20260101-000001-bbbbbb");
        RunDirectory.pointLatestAt(first, false); // a text file first: a link takes its place
        RunDirectory.pointLatestAt(second);
        Path latest = experiment.resolve("latest");
        assertTrue(Files.isSymbolicLink(latest));
        assertEquals(Path.of("20260101-000001-bbbbbb"), Files.readSymbolicLink(latest));
        assertEquals(second, RunDirectory.resolve(latest));
        assertEquals(second, RunDirectory.resolve(experiment));
        Path notARun = Files.createDirectories(runs.resolve("empty"));
        assertEquals(notARun, RunDirectory.resolve(notARun), "left for the command to reject");
    }
}
