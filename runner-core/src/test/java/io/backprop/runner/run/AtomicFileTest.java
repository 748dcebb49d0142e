package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @Test
    void aFileThatCannotBeWrittenIsNamedItselfNotItsTemporaryFile(@TempDir Path dir) {
        Path file = dir.resolve("gone").resolve("report.html");
        var e = assertThrows(FileSystemException.class, () -> AtomicFile.writeString(file, "x"));
        assertEquals(file.toString(), e.getFile());
        assertEquals(file + ": no such file or directory", IoFailure.describe(e));
    }
}
