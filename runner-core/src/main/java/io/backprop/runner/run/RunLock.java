package io.backprop.runner.run;

import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The one writer of a run directory: {@code .lock} in it, holding the writer's pid, locked with
 * {@link FileChannel#tryLock} while the run writes there and emptied when it ends. The operating system drops the lock
 * of a process that dies, so a {@code .lock} left by a killed run is stale and taken over. The file is never deleted:
 * a process that opened it just before a delete would lock a file nobody else sees.
 */
public final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";

    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private final byte[] previous;
    private boolean restore;

    private RunLock(Path key, FileChannel channel, FileLock lock, byte[] previous) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.previous = previous;
    }

    /** On {@link #close}, puts back what {@code .lock} held before (a dead writer's pid): for a writer that wrote nothing. */
    public void restore() {
        restore = true;
    }

    /** Locks {@code directory} for this process; a SpecException naming the live writer's pid when another holds it. */
    public static RunLock acquire(Path directory) {
        Path file = directory.resolve(FILE);
        Path key = canonical(directory);
        // Closing any channel of a file may drop every lock this process holds on it: one channel per file, so a second
        // writer in this process is turned away before it opens one.
        if (!HELD.add(key))
            throw stillWriting(directory, String.valueOf(ProcessHandle.current().pid()));
        FileChannel channel = null;
        try {
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) throw stillWriting(directory, holder(channel));
            ByteBuffer previous = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
            channel.read(previous, 0);
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new RunLock(key, channel, lock, java.util.Arrays.copyOf(previous.array(), previous.position()));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(key);
            if (e instanceof RuntimeException r) throw r;
            throw new SpecException(Where.of(directory.toString())
                    .problem("cannot lock the run directory: " + IoFailure.describe((IOException) e)));
        }
    }

    private static SpecException stillWriting(Path directory, String pid) {
        return new SpecException(Where.of(directory.toString())
                .problem("a run is still writing there (pid " + pid + "); wait for it to end, or stop it with kill "
                        + pid));
    }

    private static Path canonical(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            return directory.toAbsolutePath().normalize();
        }
    }

    /**
     * The pid of the process writing in {@code directory}, if one is alive; read without locking, so a reader never
     * stands in a writer's way.
     */
    public static OptionalLong writer(Path directory) {
        try {
            String text = Files.readString(directory.resolve(FILE), StandardCharsets.US_ASCII)
                    .trim();
            long pid = Long.parseLong(text);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    ? OptionalLong.of(pid)
                    : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        return pid.isEmpty() ? "unknown" : pid;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a file we only meant to lock
        }
    }

    /** Empties {@code .lock} (or restores it, see {@link #restore}) and lets go of it. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            if (restore) channel.write(ByteBuffer.wrap(previous), 0);
            lock.release();
        } catch (IOException e) {
            // The lock goes with the channel anyway; a pid left behind is a dead one's, stale and taken over.
        } finally {
            closeQuietly(channel);
            HELD.remove(key);
        }
    }
}
