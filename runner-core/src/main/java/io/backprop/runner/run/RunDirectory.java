package io.backprop.runner.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code runs/<experiment>/latest}: the experiment's newest run, and the ways a RUN_DIR argument may name a run.
 */
public final class RunDirectory {
    static final String LATEST = "latest";

    private RunDirectory() {}

    /**
     * Points {@code run}'s sibling {@code latest} at it: a relative symbolic link, made under a name of its own and
     * renamed over the old one, so {@code latest} always names a run; where links cannot be made, a text file holding
     * the run directory's name, replaced the same way.
     */
    static void pointLatestAt(Path run) throws IOException {
        pointLatestAt(run, true);
    }

    static void pointLatestAt(Path run, boolean links) throws IOException {
        Path latest = run.resolveSibling(LATEST);
        String name = run.getFileName().toString();
        if (links) {
            Path tmp = run.resolveSibling("." + LATEST + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.createSymbolicLink(tmp, Path.of(name));
            } catch (UnsupportedOperationException | IOException e) {
                links = false;
            }
            if (links) {
                try {
                    Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE);
                    return;
                } catch (IOException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
            }
        }
        AtomicFile.writeString(latest, name + "\n");
    }

    /**
     * {@code path} as a user types it into a POSIX shell: as it is when it is plain, else in single quotes (each
     * {@code '} written {@code '\''}), so a suggested command runs as printed.
     */
    public static String shellWord(Path path) {
        String s = path.toString();
        return s.matches("[A-Za-z0-9_./:=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * The run directory that {@code given} names: a run directory (or a link to one) itself, a {@code latest} link or
     * file, or an experiment's directory ({@code runs/iris}), meaning its latest run. Anything else is returned as it
     * is, for the command to say what is wrong with it. A link is followed, so messages and output name the run's own
     * directory.
     */
    public static Path resolve(Path given) {
        Path path = given;
        try {
            for (int hops = 0; hops < 8 && Files.isSymbolicLink(path); hops++) {
                Path target = Files.readSymbolicLink(path);
                path = target.isAbsolute()
                        ? target
                        : path.resolveSibling(target).normalize();
            }
            if (Files.isRegularFile(path) && path.getFileName().toString().equals(LATEST)) return named(path);
            if (Files.isDirectory(path)
                    && !Files.exists(path.resolve("config.yaml"))
                    && Files.exists(path.resolve(LATEST), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return resolve(path.resolve(LATEST));
            }
        } catch (IOException e) {
            return given;
        }
        return path;
    }

    /** The run a {@code latest} text file names. */
    private static Path named(Path latest) throws IOException {
        String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..")) return latest;
        return latest.resolveSibling(name);
    }
}
