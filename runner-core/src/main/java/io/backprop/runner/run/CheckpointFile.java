package io.backprop.runner.run;

import io.backprop.runner.engine.Checkpoint;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * checkpoint.bin: a {@link Checkpoint} with what it belongs to, the run's id, the SHA-256 of its config.yaml and of
 * the metrics of the epochs it covers, all under a CRC32C. {@link #read} checks every one of them, so a resume goes
 * on only from a checkpoint of this very run, its config and its recorded epochs unchanged.
 */
final class CheckpointFile {
    private static final int MAGIC = 0x4250524b; // "BPRK"
    private static final int VERSION = 2;
    private static final int HEADER = 4 + 4 + 8;
    private static final int TRAILER = 4;

    /** What a checkpoint belongs to. */
    record Owner(String runId, byte[] configSha256, byte[] metricsSha256) {}

    private CheckpointFile() {}

    static byte[] encode(Checkpoint checkpoint, Owner owner) throws IOException {
        var body = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(body)) {
            out.writeUTF(owner.runId());
            out.write(owner.configSha256());
            out.write(owner.metricsSha256());
            checkpoint.write(out);
        }
        byte[] bytes = body.toByteArray();
        var crc = new CRC32C();
        crc.update(bytes);
        var file = ByteBuffer.allocate(HEADER + bytes.length + TRAILER);
        file.putInt(MAGIC).putInt(VERSION).putLong(bytes.length).put(bytes).putInt((int) crc.getValue());
        return file.array();
    }

    /**
     * Reads and checks {@code directory}'s checkpoint against the run's id, config.yaml and metrics.jsonl; any
     * mismatch is a SpecException of one line. Returns the checkpoint and the metrics of the epochs before it.
     */
    static Verified read(Path directory, String runId) throws IOException {
        Path file = directory.resolve(ExperimentRun.CHECKPOINT);
        Where where = Where.of(file.toString());
        String again = "; the run cannot go on from it (start it again, or resume from an intact copy)";
        byte[] bytes = Files.readAllBytes(file);
        var in = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER)
            throw new SpecException(where.problem("truncated: " + bytes.length + " bytes" + again));
        if (in.getInt() != MAGIC) throw new SpecException(where.problem("not a checkpoint of this runner" + again));
        int version = in.getInt();
        if (version != VERSION) {
            throw new SpecException(where.problem(
                    "a checkpoint of version " + version + "; this runner reads version " + VERSION + again));
        }
        long length = in.getLong();
        if (length < 0 || length != bytes.length - HEADER - TRAILER) {
            throw new SpecException(where.problem("truncated or padded: " + bytes.length + " bytes, its header says "
                    + (length + HEADER + TRAILER) + again));
        }
        var crc = new CRC32C();
        crc.update(bytes, HEADER, (int) length);
        if ((int) crc.getValue()
                != ByteBuffer.wrap(bytes, HEADER + (int) length, TRAILER).getInt()) {
            throw new SpecException(where.problem("corrupt: its CRC32C checksum does not match its contents" + again));
        }
        String owner;
        byte[] config = new byte[32];
        byte[] metrics = new byte[32];
        Checkpoint checkpoint;
        try (var data = new DataInputStream(new ByteArrayInputStream(bytes, HEADER, (int) length))) {
            owner = data.readUTF();
            data.readFully(config);
            data.readFully(metrics);
            checkpoint = Checkpoint.read(data);
        } catch (IOException e) {
            throw new SpecException(where.problem("corrupt: " + e.getMessage() + again));
        }
        if (!owner.equals(runId)) {
            throw new SpecException(where.problem("belongs to run " + owner + ", not to this one (" + runId
                    + "): a checkpoint goes on only in its own run directory"));
        }
        Path configFile = directory.resolve("config.yaml");
        if (!Arrays.equals(config, sha256(Files.readAllBytes(configFile)))) {
            throw new SpecException(
                    Where.of(configFile.toString())
                            .problem(
                                    "changed since the checkpoint was written; a resumed run"
                                            + " needs the config it started with: restore it, or start a new run from the edited file"));
        }
        Path metricsFile = directory.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metricsFile)) {
            throw new SpecException(Where.of(metricsFile.toString())
                    .problem("no such file; resuming needs the metrics of the " + checkpoint.epoch()
                            + " epochs before the checkpoint"));
        }
        List<EpochMetrics> history = History.read(metricsFile, checkpoint.epoch());
        if (!Arrays.equals(metrics, digest(history))) {
            throw new SpecException(
                    Where.of(metricsFile.toString())
                            .problem(
                                    "its first " + checkpoint.epoch()
                                            + " epochs are not the ones the checkpoint was written after; restore the file, or start the run again"));
        }
        return new Verified(checkpoint, history);
    }

    record Verified(Checkpoint checkpoint, List<EpochMetrics> history) {}

    static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The digest of epochs' metrics as metrics.jsonl gives them back: sorted by name, every non-finite value NaN. */
    static byte[] digest(List<EpochMetrics> epochs) {
        MessageDigest sha = sha256();
        for (EpochMetrics m : epochs) add(sha, m);
        return sha.digest();
    }

    static void add(MessageDigest sha, EpochMetrics m) {
        var buffer = ByteBuffer.allocate(8);
        sha.update(buffer.putInt(0, m.epoch()).array(), 0, 4);
        for (Map.Entry<String, Double> e : new TreeMap<>(m.values()).entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            double v = e.getValue();
            sha.update(buffer.putLong(0, Double.doubleToLongBits(Double.isFinite(v) ? v : Double.NaN))
                    .array());
        }
    }
}
