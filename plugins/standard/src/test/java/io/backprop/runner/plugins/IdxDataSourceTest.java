package io.backprop.runner.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.Params;
import io.backprop.runner.plugin.PluginException;
import io.backprop.runner.plugin.PluginKind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX headers whose dimensions cannot be true are named, with the file, before anything is allocated. */
class IdxDataSourceTest {
    @TempDir
    Path dir;

    private static byte[] idx(int magic, int[] shape, int dataBytes) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : shape) out.writeInt(d);
            out.write(new byte[dataBytes]);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private String problem(int[] imageShape, int imageBytes, int labelCount, int labelBytes) throws IOException {
        Files.write(dir.resolve("images"), idx(0x0803, imageShape, imageBytes));
        Files.write(dir.resolve("labels"), idx(0x0801, new int[] {labelCount}, labelBytes));
        return problem(Map.of("images", "images", "labels", "labels"));
    }

    private String problem(Map<String, ?> values) {
        var p = StandardPlugins.registry().providers(PluginKind.DATA_SOURCE).stream()
                .filter(d -> d.name().equals("idx"))
                .findFirst()
                .orElseThrow();
        return assertThrows(
                        PluginException.class,
                        () -> p.create(Params.of(p, values)).load(new DataContext(dir, 0)))
                .getMessage();
    }

    @Test
    void dimensionsWhoseProductOverflowsAnArrayAreNamed() throws IOException {
        assertEquals(
                "images: the header announces 3 images of 70000 x 70000 pixels, 14700000000 values, more than an array"
                        + " holds (2147483639); the file is damaged or not an IDX file",
                problem(new int[] {3, 70000, 70000}, 12, 3, 3));
        assertEquals(
                "images: the header announces 1 images of 65536 x 65536 pixels, 4294967296 values, more than an array"
                        + " holds (2147483639); the file is damaged or not an IDX file",
                problem(new int[] {1, 65536, 65536}, 12, 1, 1));
    }

    @Test
    void dimensionsBeyondThe32BitsOfASignedIntAreNamed() throws IOException {
        assertEquals(
                "images: the header's dimension 2 is 4294967295, more than 2147483647; the file is damaged or not an IDX file",
                problem(new int[] {3, -1, 2}, 12, 3, 3));
    }

    @Test
    void dimensionsBeyondTheFileSizeAreNamed() throws IOException {
        assertEquals(
                "images: the header announces 100000 images of 28 x 28 pixels, 78400000 bytes, but the file holds 12 after"
                        + " its header; the file is truncated or damaged",
                problem(new int[] {100000, 28, 28}, 12, 100000, 100000));
        assertEquals(
                "labels: the header announces 100000 labels, 100000 bytes, but the file holds 3 after its header; the file"
                        + " is truncated or damaged",
                problem(new int[] {100000, 1, 1}, 100000, 100000, 3));
    }

    @Test
    void aGzippedFileCannotAnnounceMoreThanDeflateCanExpandTo() throws IOException {
        Files.write(dir.resolve("images.gz"), gzip(idx(0x0803, new int[] {100000, 28, 28}, 12)));
        Files.write(dir.resolve("labels.gz"), gzip(idx(0x0801, new int[] {100000}, 3)));
        String message = problem(Map.of("images", "images.gz", "labels", "labels.gz"));
        assertEquals(
                "images.gz: the header announces 100000 images of 28 x 28 pixels, 78400000 bytes, more than "
                        + Files.size(dir.resolve("images.gz"))
                        + " gzipped bytes can hold; the file is truncated or damaged",
                message);
    }
}
