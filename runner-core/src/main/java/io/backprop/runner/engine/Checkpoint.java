package io.backprop.runner.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What training needs to go on from the end of an epoch exactly as if it had never stopped: the parameters, the
 * optimizer's and the learning-rate schedule's state and the best epoch's parameters (where a rule restores them), with the epoch and counts. The random
 * streams and the stopping rules' state are not saved: resuming replays them from the seed and the recorded metrics.
 * {@link #write} gives the bare contents; the run's checkpoint.bin wraps them with a checksum and what they belong to.
 *
 * @param parameters     every parameter slot of the network in optimizer order ({@link Network#slots}), live or copied
 * @param optimizerState the optimizer's {@link io.backprop.runner.plugin.Optimizer#state()} arrays
 * @param bestParameters the best epoch's slots; null when no rule restores them
 * @param scheduleState  the schedule's {@link io.backprop.runner.plugin.LearningRateSchedule#state()} arrays
 */
public record Checkpoint(
        int epoch,
        long examples,
        double seconds,
        double[][] parameters,
        List<double[]> optimizerState,
        double[][] bestParameters,
        List<double[]> scheduleState) {
    private static final int MAGIC = 0x42505243; // "BPRC"
    /**
     * Version 3 saves parameter slots, whatever the layers' kinds; 2 (weights, then biases, per layer: the slots of
     * dense layers) added the schedule's state; 1, read as a stateless schedule's, had none.
     */
    private static final int VERSION = 3;

    public Checkpoint {
        optimizerState = List.copyOf(optimizerState);
        scheduleState = List.copyOf(scheduleState);
    }

    /** Of a schedule that keeps no state. */
    public Checkpoint(
            int epoch,
            long examples,
            double seconds,
            double[][] parameters,
            List<double[]> optimizerState,
            double[][] bestParameters) {
        this(epoch, examples, seconds, parameters, optimizerState, bestParameters, List.of());
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(epoch);
        out.writeLong(examples);
        out.writeDouble(seconds);
        write(out, parameters);
        write(out, optimizerState.toArray(double[][]::new));
        out.writeBoolean(bestParameters != null);
        if (bestParameters != null) write(out, bestParameters);
        write(out, scheduleState.toArray(double[][]::new));
    }

    /** Reads what {@link #write} wrote, or a checkpoint of versions 1 and 2; IOException when it is not one. */
    public static Checkpoint read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("not a checkpoint");
        int version = in.readInt();
        if (version < 1 || version > VERSION) {
            throw new IOException(
                    "a checkpoint of version " + version + "; this runner reads versions 1 to " + VERSION);
        }
        int epoch = in.readInt();
        long examples = in.readLong();
        double seconds = in.readDouble();
        double[][] parameters = version >= 3 ? arrays(in) : interleaved(arrays(in), arrays(in));
        List<double[]> state = new ArrayList<>(List.of(arrays(in)));
        boolean best = in.readBoolean();
        double[][] bestParameters = !best ? null : version >= 3 ? arrays(in) : interleaved(arrays(in), arrays(in));
        List<double[]> scheduleState = version == 1 ? List.of() : List.of(arrays(in));
        return new Checkpoint(epoch, examples, seconds, parameters, state, bestParameters, scheduleState);
    }

    /** Dense layers' weights and biases as their slots: w then b, layer by layer. */
    private static double[][] interleaved(double[][] weights, double[][] biases) throws IOException {
        if (weights.length != biases.length) throw new IOException("a corrupt checkpoint");
        double[][] slots = new double[2 * weights.length][];
        for (int l = 0; l < weights.length; l++) {
            slots[2 * l] = weights[l];
            slots[2 * l + 1] = biases[l];
        }
        return slots;
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
