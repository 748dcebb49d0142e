package io.backprop.runner.run;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files replaced whole: written to a temporary file beside them (a name of its own per write, so two writers never
 * share one), forced to the disk and renamed over the old one. A reader sees the old file or the new one, never half
 * of one; a failed write removes its temporary file and leaves the old file as it was.
 */
public final class AtomicFile {
    /** What goes into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    public static void write(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            // A stream's failure (a full disk) names no file: this one is the user's.
            if (e instanceof IOException && !(e instanceof java.nio.file.FileSystemException)) {
                throw new java.nio.file.FileSystemException(file.toString(), null, e.getMessage());
            }
            // Nor is the temporary file's name: the file the user asked for is the one that could not be written.
            if (e instanceof java.nio.file.FileSystemException f
                    && tmp.toString().equals(f.getFile())) {
                throw new java.nio.file.FileSystemException(file.toString(), null, IoFailure.cause(f));
            }
            throw e;
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
