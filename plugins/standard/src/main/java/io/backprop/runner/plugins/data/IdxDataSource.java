package io.backprop.runner.plugins.data;

import io.backprop.runner.plugin.DataContext;
import io.backprop.runner.plugin.DataSource;
import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.plugin.PluginException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * IDX files (LeCun's MNIST format): a magic number (0x0803 for unsigned-byte images of rank 3, 0x0801 for labels),
 * big-endian dimensions, then the bytes. Gzipped files are recognised by their first two bytes.
 */
final class IdxDataSource implements DataSource {
    /** The longest array a JVM reliably allocates (as {@code ArrayList} assumes). */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** Deflate never inflates to more than this many times its size: RFC 1951's longest match, 258 bytes, takes two bits. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private final String images;
    private final String labels;
    private final boolean scale;
    private final int limit;

    IdxDataSource(String images, String labels, boolean scale, int limit) {
        this.images = images;
        this.labels = labels;
        this.scale = scale;
        this.limit = limit;
    }

    @Override
    public Dataset load(DataContext context) {
        try (var in = open(context.directory(), images);
                var lab = open(context.directory(), labels)) {
            int[] imageShape = header(in, images, 0x0803, 3);
            int[] labelShape = header(lab, labels, 0x0801, 1);
            if (imageShape[0] != labelShape[0]) {
                throw new PluginException(
                        images + " holds " + imageShape[0] + (imageShape[0] == 1 ? " image" : " images") + " but "
                                + labels + " holds " + labelShape[0] + (labelShape[0] == 1 ? " label" : " labels"));
            }
            checkFileHolds(context.directory(), images, imageShape);
            checkFileHolds(context.directory(), labels, labelShape);
            int rows = limit == 0 ? imageShape[0] : Math.min(limit, imageShape[0]);
            int pixels = imageShape[1] * imageShape[2];
            byte[] raw = new byte[rows * pixels];
            in.readFully(raw);
            double[] x = new double[raw.length];
            for (int i = 0; i < raw.length; i++) x[i] = scale ? (raw[i] & 0xff) / 255.0 : raw[i] & 0xff;
            byte[] rawLabels = new byte[rows];
            lab.readFully(rawLabels);
            int classes = 0;
            for (byte b : rawLabels) classes = Math.max(classes, (b & 0xff) + 1);
            classes = Math.max(classes, 2);
            double[] y = new double[rows * classes];
            for (int r = 0; r < rows; r++) y[r * classes + (rawLabels[r] & 0xff)] = 1;
            List<String> names = new ArrayList<>();
            for (int k = 0; k < classes; k++) names.add(Integer.toString(k));
            return new Dataset(x, y, rows, pixels, classes, Dataset.Task.CLASSIFICATION, names);
        } catch (EOFException e) {
            throw new PluginException(images + " or " + labels + " ends before the examples its header announces");
        } catch (NoSuchFileException e) {
            throw new PluginException("no such file: " + e.getFile());
        } catch (IOException e) {
            throw new PluginException("cannot read " + images + " and " + labels + ": " + e.getMessage());
        }
    }

    private static DataInputStream open(Path directory, String name) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(directory.resolve(name)), 1 << 16);
        return new DataInputStream(
                isGzipped(raw) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    /** Whether the stream starts with gzip's magic bytes; it is left where it was. */
    private static boolean isGzipped(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    /**
     * Checks the magic number and returns the dimensions. Dimensions are unsigned 32-bit numbers; ones beyond an int,
     * or whose product is beyond an array's length, cannot be loaded and are named before anything is allocated.
     */
    private static int[] header(DataInputStream in, String name, int magic, int rank) throws IOException {
        int found = in.readInt();
        if (found != magic) {
            throw new PluginException(name + " is not an IDX file of " + (rank == 3 ? "images" : "labels")
                    + String.format(" (magic number 0x%08x, expected 0x%08x)", found, magic));
        }
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) shape[d] = in.readInt();
        for (int d = 0; d < rank; d++) {
            if (shape[d] < 0) {
                throw new PluginException(
                        name + ": the header's dimension " + (d + 1) + " is " + Integer.toUnsignedLong(shape[d])
                                + ", more than " + Integer.MAX_VALUE + "; the file is damaged or not an IDX file");
            }
        }
        BigInteger values = product(shape);
        if (values.compareTo(BigInteger.valueOf(MAX_ARRAY_LENGTH)) > 0) {
            throw new PluginException(name + ": the header announces " + describe(shape) + ", " + values
                    + " values, more than an array holds (" + MAX_ARRAY_LENGTH
                    + "); the file is damaged or not an IDX file");
        }
        return shape;
    }

    /**
     * Checks that the file can hold the bytes its header announces: a plain file by its size; a gzipped one, whose
     * size is known only once inflated, by deflate's largest ratio, so a damaged header is named before it is read.
     */
    private static void checkFileHolds(Path directory, String name, int[] shape) throws IOException {
        Path file = directory.resolve(name);
        long announced = product(shape).longValueExact(); // header() has checked it is below 2^31
        long size = Files.size(file);
        boolean gzipped;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 2)) {
            gzipped = isGzipped(in);
        }
        if (gzipped && announced > MAX_DEFLATE_RATIO * size) {
            throw new PluginException(name + ": the header announces " + describe(shape) + ", " + announced
                    + " bytes, more than " + size + " gzipped bytes can hold; the file is truncated or damaged");
        }
        long data = size - 4 - 4L * shape.length;
        if (!gzipped && announced > data) {
            throw new PluginException(name + ": the header announces " + describe(shape) + ", " + announced
                    + " bytes, but the file holds " + data + " after its header; the file is truncated or damaged");
        }
    }

    /** The product of the dimensions, exact: three of them can pass a long. */
    private static BigInteger product(int[] shape) {
        BigInteger product = BigInteger.ONE;
        for (int d : shape) product = product.multiply(BigInteger.valueOf(d));
        return product;
    }

    private static String describe(int[] shape) {
        int rank = shape.length;
        return rank == 3 ? shape[0] + " images of " + shape[1] + " x " + shape[2] + " pixels" : shape[0] + " labels";
    }
}
