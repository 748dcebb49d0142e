package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.RowTask;
import io.backprop.runner.plugin.Activation;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A learnable per-unit scale, {@code a = g(gamma ⊙ a_in)}: as wide as the layer below, one parameter slot {@code
 * gamma} (1 x units; L2 does not apply to it), its activation the identity unless the experiment names another. No
 * dropout. The row sums of its gradient run in row order on the calling thread, so they have the same bits whatever
 * the thread count; its buffers are sized once, so forward and backward allocate nothing.
 */
public final class ScaleLayer implements Layer {
    private final int units;
    private final Activation activation;
    private final double[] gamma;
    private final double[] gradient;
    private final double[] z;
    private final double[] a;
    private final double[] delta;
    private final List<Slot> slots;

    public ScaleLayer(int units, Activation activation, int maxBatch) {
        this.units = units;
        this.activation = Objects.requireNonNull(activation, "activation is null");
        gamma = new double[units];
        gradient = new double[units];
        z = new double[maxBatch * units];
        a = new double[maxBatch * units];
        delta = new double[maxBatch * units];
        slots = List.of(new Slot("gamma", gamma, gradient, 1, units, false, false));
    }

    @Override
    public int units() {
        return units;
    }

    @Override
    public int fanIn() {
        return units;
    }

    @Override
    public List<Slot> slots() {
        return slots;
    }

    @Override
    public ScaleLayer replica(Activation activation, int maxBatch) {
        return new ScaleLayer(units, activation, maxBatch);
    }

    /** Element-wise only: nothing computes in float32, whatever the network's precision. */
    @Override
    public void usePrecision(Precision precision) {}

    @Override
    public double[] activations() {
        return a;
    }

    @Override
    public double[] output(boolean training) {
        return a;
    }

    @Override
    public double[] delta() {
        return delta;
    }

    @Override
    public boolean hasDropout() {
        return false;
    }

    @Override
    public void sampleDropout(int rows, RandomGenerator random) {}

    /** {@code z = gamma ⊙ in}, row by row; {@code a = g(z)}. */
    @Override
    public void forward(double[] in, int rows, Products products, boolean training) {
        for (int r = 0, i = 0; r < rows; r++) for (int j = 0; j < units; j++, i++) z[i] = gamma[j] * in[i];
        activation.forward(z, a, rows, units);
    }

    /**
     * From dC/da in {@link #delta} (dC/dz already, with {@code deltaGiven}): {@code delta = dC/da ⊙ g'(z)}, then
     * {@code dC/dgamma = sum over rows of delta ⊙ in} and {@code deltaBelow = delta ⊙ gamma}. No L2, nothing fused.
     */
    @Override
    public void backward(
            double[] in,
            double[] deltaBelow,
            int rows,
            Products products,
            boolean training,
            boolean deltaGiven,
            double l2,
            RowTask duringWeightGradient) {
        if (!deltaGiven) activation.backward(z, a, delta, delta, rows, units);
        Arrays.fill(gradient, 0);
        for (int r = 0, i = 0; r < rows; r++) for (int j = 0; j < units; j++, i++) gradient[j] += delta[i] * in[i];
        if (deltaBelow != null) {
            for (int r = 0, i = 0; r < rows; r++)
                for (int j = 0; j < units; j++, i++) deltaBelow[i] = delta[i] * gamma[j];
        }
    }
}
