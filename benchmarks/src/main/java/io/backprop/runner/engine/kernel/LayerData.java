package io.backprop.runner.engine.kernel;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/** Operands as training sees them: MNIST images for a first layer, half-zero ReLU outputs for hidden layers. */
final class LayerData {
    static final Path MNIST = Path.of("experiments/data/mnist-10k/train-images-idx3-ubyte.gz");

    private LayerData() {}

    /** The first {@code rows} training images, 784 pixels each scaled to [0, 1], as the idx data source reads them. */
    static double[] mnist(int rows) {
        try (var in = new DataInputStream(new GZIPInputStream(Files.newInputStream(MNIST)))) {
            in.readInt();
            in.readInt();
            int side = in.readInt() * in.readInt();
            double[] x = new double[rows * side];
            for (int i = 0; i < x.length; i++) x[i] = in.readUnsignedByte() / 255.0;
            return x;
        } catch (IOException e) {
            throw new UncheckedIOException(MNIST.toAbsolutePath() + " (run from the project root)", e);
        }
    }

    /** Gaussian values, each zero with probability {@code zeros}. */
    static double[] random(int n, double zeros, long seed) {
        var random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = random.nextDouble() < zeros ? 0 : random.nextGaussian();
        return x;
    }
}
