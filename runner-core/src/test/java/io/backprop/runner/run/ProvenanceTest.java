package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    @Test
    void aFileIsDescribedByItsSizeAndSha256(@TempDir Path dir) throws Exception {
        Path abc = Files.writeString(dir.resolve("abc.csv"), "abc");
        var described = Provenance.describeFile(abc);
        assertEquals(3L, described.get("bytes"));
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                described.get("sha256"),
                "FIPS 180-2's example");

        // Across several reads of the buffer, the digest is the whole file's.
        byte[] bytes = new byte[3 * (1 << 16) + 5];
        new SplittableRandom(1).nextBytes(bytes);
        Path large = Files.write(dir.resolve("large.idx"), bytes);
        var big = Provenance.describeFile(large);
        assertEquals((long) bytes.length, big.get("bytes"));
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), big.get("sha256"));
    }

    @Test
    void aFileThatCannotBeReadIsRecordedWithTheReasonNotThrown(@TempDir Path dir) {
        var described = Provenance.describeFile(dir.resolve("gone.csv"));
        assertNull(described.get("sha256"));
        assertNull(described.get("bytes"));
        assertTrue(String.valueOf(described.get("error")).contains("gone.csv"), String.valueOf(described.get("error")));
    }

    @Test
    void theVersionIsTheBuildsAndTheProcessorHasAName() {
        assertTrue(Provenance.runnerVersion().matches("\\d+\\.\\d+\\.\\d+.*"), Provenance.runnerVersion());
        String cpu = Provenance.cpuModel();
        assertFalse(cpu.isBlank());
        if (!Files.isReadable(Path.of("/proc/cpuinfo"))) assertEquals(System.getProperty("os.arch"), cpu);
    }
}
