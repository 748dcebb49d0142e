package io.backprop.runner.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** An I/O failure in a user's words: the path, then the cause as the system gave it ("no space left on device"). */
public final class IoFailure {
    private IoFailure() {}

    /** {@code path: cause} where the exception names a path, else the cause alone. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + cause(e);
        }
        return cause(e);
    }

    /** Like {@link #describe(IOException)}, for the unchecked wrapper; its own message leads where it adds one. */
    public static String describe(UncheckedIOException e) {
        String own = e.getMessage();
        String inner = describe(e.getCause());
        return own == null
                        || own.equals(e.getCause().toString())
                        || own.equals(e.getCause().getMessage())
                ? inner
                : own;
    }

    /** The cause alone, without the path. */
    public static String cause(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof NotDirectoryException) return "not a directory";
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (reason == null) reason = e.getClass().getSimpleName();
        return reason.isEmpty() ? reason : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }
}
