package io.backprop.runner.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What training needs to go on from the end of an epoch exactly as if it had never stopped: the weights, the
 * optimizer's state and the best epoch's weights (where a rule restores them), with the epoch and counts. The random
 * streams and the stopping rules' state are not saved: resuming replays them from the seed and the recorded metrics.
 * {@link #write} gives the bare contents; the run's checkpoint.bin wraps them with a checksum and what they belong to.
 *
 * @param weights        per layer, live or copied arrays
 * @param optimizerState the optimizer's {@link io.backprop.runner.plugin.Optimizer#state()} arrays
 * @param bestWeights    the best epoch's weights per layer; null when no rule restores them
 */
public record Checkpoint(int epoch, long examples, double seconds, double[][] weights, double[][] biases,
                         List<double[]> optimizerState, double[][] bestWeights, double[][] bestBiases) {
    private static final int MAGIC = 0x42505243; // "BPRC"
    private static final int VERSION = 1;

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(epoch);
        out.writeLong(examples);
        out.writeDouble(seconds);
        write(out, weights);
        write(out, biases);
        write(out, optimizerState.toArray(double[][]::new));
        out.writeBoolean(bestWeights != null);
        if (bestWeights != null) {
            write(out, bestWeights);
            write(out, bestBiases);
        }
    }

    /** Reads what {@link #write} wrote; IOException when it is not a checkpoint of this version. */
    public static Checkpoint read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("not a checkpoint");
        int version = in.readInt();
        if (version != VERSION) throw new IOException("a checkpoint of version " + version + "; this runner reads version " + VERSION);
        int epoch = in.readInt();
        long examples = in.readLong();
        double seconds = in.readDouble();
        double[][] w = arrays(in);
        double[][] b = arrays(in);
        List<double[]> state = new ArrayList<>(List.of(arrays(in)));
        boolean best = in.readBoolean();
        return new Checkpoint(epoch, examples, seconds, w, b, state, best ? arrays(in) : null, best ? arrays(in) : null);
    }

    private static void write(DataOutputStream out, double[][] arrays) throws IOException {
        out.writeInt(arrays.length);
        for (double[] a : arrays) {
            out.writeInt(a.length);
            for (double v : a) out.writeDouble(v);
        }
    }

    private static double[][] arrays(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) throw new IOException("a corrupt checkpoint");
        double[][] arrays = new double[n][];
        for (int i = 0; i < n; i++) {
            int length = in.readInt();
            if (length < 0) throw new IOException("a corrupt checkpoint");
            arrays[i] = new double[length];
            for (int j = 0; j < length; j++) arrays[i][j] = in.readDouble();
        }
        return arrays;
    }
}
