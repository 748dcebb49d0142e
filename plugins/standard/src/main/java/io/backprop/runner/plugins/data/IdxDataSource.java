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
        try (var in = open(context.directory(), images); var lab = open(context.directory(), labels)) {
            int[] imageShape = header(in, images, 0x0803, 3);
            int[] labelShape = header(lab, labels, 0x0801, 1);
            if (imageShape[0] != labelShape[0]) {
                throw new PluginException(images + " holds " + imageShape[0] + (imageShape[0] == 1 ? " image" : " images") + " but " + labels
                        + " holds " + labelShape[0] + (labelShape[0] == 1 ? " label" : " labels"));
            }
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
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        return new DataInputStream(b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    /** Checks the magic number and returns the dimensions. */
    private static int[] header(DataInputStream in, String name, int magic, int rank) throws IOException {
        int found = in.readInt();
        if (found != magic) {
            throw new PluginException(name + " is not an IDX file of " + (rank == 3 ? "images" : "labels")
                    + String.format(" (magic number 0x%08x, expected 0x%08x)", found, magic));
        }
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) shape[d] = in.readInt();
        return shape;
    }
}
