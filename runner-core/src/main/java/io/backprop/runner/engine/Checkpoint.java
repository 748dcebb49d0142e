package io.backprop.runner.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What training needs to go on from the end of an epoch exactly as if it had never stopped: the weights, the
 * optimizer's and the learning-rate schedule's state and the best epoch's weights (where a rule restores them), with the epoch and counts. The random
 * streams and the stopping rules' state are not saved: resuming replays them from the seed and the recorded metrics.
 * {@link #write} gives the bare contents; the run's checkpoint.bin wraps them with a checksum and what they belong to.
 *
 * @param weights        per layer, live or copied arrays
 * @param optimizerState the optimizer's {@link io.backprop.runner.plugin.Optimizer#state()} arrays
 * @param bestWeights    the best epoch's weights per layer; null when no rule restores them
 * @param scheduleState  the schedule's {@link io.backprop.runner.plugin.LearningRateSchedule#state()} arrays
 */
public record Checkpoint(int epoch, long examples, double seconds, double[][] weights, double[][] biases,
                         List<double[]> optimizerState, double[][] bestWeights, double[][] bestBiases,
                         List<double[]> scheduleState) {
    private static final int MAGIC = 0x42505243; // "BPRC"
    /** Version 2 adds the schedule's state; version 1, read as a stateless schedule's, had none. */
    private static final int VERSION = 2;

    public Checkpoint {
        optimizerState = List.copyOf(optimizerState);
        scheduleState = List.copyOf(scheduleState);
    }

    /** Of a schedule that keeps no state. */
    public Checkpoint(int epoch, long examples, double seconds, double[][] weights, double[][] biases,
                      List<double[]> optimizerState, double[][] bestWeights, double[][] bestBiases) {
        this(epoch, examples, seconds, weights, biases, optimizerState, bestWeights, bestBiases, List.of());
    }

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
        write(out, scheduleState.toArray(double[][]::new));
    }

    /** Reads what {@link #write} wrote; IOException when it is not a checkpoint of this version. */
    public static Checkpoint read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("not a checkpoint");
        int version = in.readInt();
        if (version != VERSION && version != 1) {
            throw new IOException("a checkpoint of version " + version + "; this runner reads versions 1 and " + VERSION);
        }
        int epoch = in.readInt();
        long examples = in.readLong();
        double seconds = in.readDouble();
        double[][] w = arrays(in);
        double[][] b = arrays(in);
        List<double[]> state = new ArrayList<>(List.of(arrays(in)));
        boolean best = in.readBoolean();
        double[][] bestWeights = best ? arrays(in) : null;
        double[][] bestBiases = best ? arrays(in) : null;
        List<double[]> scheduleState = version == 1 ? List.of() : List.of(arrays(in));
        return new Checkpoint(epoch, examples, seconds, w, b, state, bestWeights, bestBiases, scheduleState);
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
