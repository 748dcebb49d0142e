package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backprop.runner.spec.SpecException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunsRootTest {
    private static final Path ROOT = Path.of("runs");

    @Test
    void aPlainNameIsADirectoryInsideTheRoot() {
        assertEquals(Path.of("runs", "my exp", "sweep-1"), RunsRoot.resolve(ROOT, "my exp", "sweep-1"));
        assertEquals(Path.of("runs", "a..b"), RunsRoot.resolve(ROOT, "a..b"));
    }

    @Test
    void aNameThatWouldLeaveTheRootOrSkipALevelIsBadInputInOneLine() {
        for (String name : List.of("..", ".", "", "a/b", "../x", "/etc", "a/..")) {
            var e = assertThrows(SpecException.class, () -> RunsRoot.resolve(ROOT, name, "run-1"), name);
            assertEquals(1, e.problems().size());
            String message = e.problems().get(0).format();
            assertEquals(1, message.lines().count(), message);
            assertEquals(
                    "runner: '" + (name + "/run-1").replace("\n", "\\n")
                            + "' would not be a directory inside the runs root 'runs';"
                            + " a run's directory is <runs root>/<experiment name>/<run>",
                    message);
        }
    }
}
