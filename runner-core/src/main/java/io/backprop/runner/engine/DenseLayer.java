package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.RowTask;
import io.backprop.runner.plugin.Activation;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A fully connected layer, {@code a = g(a_in W + b)}, with inverted dropout on its outputs in training. It owns its
 * parameters (weights {@code fanIn x units}, input by input, so the forward product runs along contiguous rows and
 * skips zero inputs; biases), their gradients, and its buffers for one batch of up to {@code maxBatch} rows, sized
 * once, so {@link #forward} and {@link #backward} allocate nothing. Its parameter slots are {@code w} then {@code b}.
 * In {@link Precision#FLOAT32} its products take float copies of their operands (see {@link Precision}).
 */
public final class DenseLayer implements Layer {
    final int fanIn;
    final int units;
    final Activation activation;
    final double dropout;
    final double[] w;
    final double[] b;
    final double[] gw;
    final double[] gb;
    final double[] z;
    final double[] a;
    /** dC/da of this layer's outputs, overwritten in place by dC/dz (delta) during {@link #backward}. */
    final double[] delta;
    /** With dropout: the mask last drawn (0 or 1/(1-p)) and the masked outputs; null without. */
    private final double[] mask;

    private final double[] kept;
    private final List<Slot> slots;
    private final int maxBatch;
    /**
     * In float32 ({@link #usePrecision}): the float copies the products take of the input, the weights (made from
     * {@link #w} at a forward pass, so whatever stepped or set the weights is seen, unless the steps keep it) and the
     * delta; null in float64.
     */
    private float[] in32;

    float[] w32;
    private float[] delta32;
    /**
     * Whether the steps keep {@link #w32} as {@link #w} is ({@link #keepFloatWeights}: the trainer's epoch and its
     * measurement, where nothing else writes the weights), and whether it is so now; otherwise every forward pass
     * makes it anew.
     */
    private boolean keepFloat;

    private boolean floatCurrent;
    /** Whether {@link #in32} holds the input already when a forward pass starts ({@link #floatInputGiven}). */
    private boolean inputGiven;

    public DenseLayer(int fanIn, int units, Activation activation, double dropout, int maxBatch) {
        this.fanIn = fanIn;
        this.units = units;
        this.activation = Objects.requireNonNull(activation, "activation is null");
        this.dropout = dropout;
        this.maxBatch = maxBatch;
        w = new double[fanIn * units];
        gw = new double[fanIn * units];
        b = new double[units];
        gb = new double[units];
        z = new double[maxBatch * units];
        a = new double[maxBatch * units];
        delta = new double[maxBatch * units];
        mask = dropout > 0 ? new double[maxBatch * units] : null;
        kept = dropout > 0 ? new double[maxBatch * units] : null;
        slots = List.of(
                new Slot("weights", w, gw, fanIn, units, true, true),
                new Slot("biases", b, gb, 1, units, false, false));
    }

    @Override
    public int units() {
        return units;
    }

    @Override
    public int fanIn() {
        return fanIn;
    }

    /** {@code weights} ({@code fanIn x units}, input by input; L2 applies) then {@code biases}. */
    @Override
    public List<Slot> slots() {
        return slots;
    }

    @Override
    public DenseLayer replica(Activation activation, int maxBatch) {
        return new DenseLayer(fanIn, units, activation, dropout, maxBatch);
    }

    @Override
    public void usePrecision(Precision precision) {
        boolean single = precision == Precision.FLOAT32;
        in32 = single ? new float[maxBatch * fanIn] : null;
        w32 = single ? new float[fanIn * units] : null;
        delta32 = single ? new float[maxBatch * units] : null;
    }

    /**
     * From now on (until turned off) whatever steps the weights calls {@link #weightsStepped} on the rows it stepped,
     * so the forward pass need not copy them all again; the next forward pass makes the float copy whole.
     */
    void keepFloatWeights(boolean on) {
        keepFloat = on;
        floatCurrent = false;
    }

    /** The float copy of the input the products read; null in float64. */
    float[] floatInput() {
        return in32;
    }

    /** While on, the forward pass takes its input as written in {@link #floatInput} and leaves the double one unread. */
    void floatInputGiven(boolean on) {
        inputGiven = on && in32 != null;
    }

    /** Weight rows (inputs) {@code [from, to)} were stepped: their float copy, where the steps keep one. */
    void weightsStepped(int from, int to) {
        if (keepFloat && w32 != null) Dense.toFloat(w, w32, from * units, (to - from) * units);
    }

    @Override
    public double[] activations() {
        return a;
    }

    /** Masked in training where the layer has dropout. */
    @Override
    public double[] output(boolean training) {
        return training && dropout > 0 ? kept : a;
    }

    @Override
    public double[] delta() {
        return delta;
    }

    @Override
    public boolean hasDropout() {
        return dropout > 0;
    }

    /** A new inverted-dropout mask: each output kept with probability 1 - p, scaled by 1/(1 - p). */
    @Override
    public void sampleDropout(int rows, RandomGenerator random) {
        if (dropout == 0) return;
        double scale = 1 / (1 - dropout);
        for (int i = 0, n = rows * units; i < n; i++) mask[i] = random.nextDouble() < dropout ? 0 : scale;
    }

    /** {@code z = in W + b}, {@code a = g(z)}, then the dropout mask in training. */
    @Override
    public void forward(double[] in, int rows, Products products, boolean training) {
        if (w32 == null) {
            products.forward(in, w, b, z, rows, fanIn, units);
        } else {
            if (!inputGiven) Dense.toFloat(in, in32, rows * fanIn);
            if (!floatCurrent) {
                Dense.toFloat(w, w32, fanIn * units);
                floatCurrent = keepFloat;
            }
            products.forward(in32, w32, b, z, rows, fanIn, units);
        }
        activation.forward(z, a, rows, units);
        if (training && dropout > 0) {
            for (int i = 0, n = rows * units; i < n; i++) kept[i] = a[i] * mask[i];
        }
    }

    /**
     * From dC/da in {@link #delta} (dC/dz already, with {@code deltaGiven}): {@code delta = dC/da ⊙ g'(z)} (a
     * vector-Jacobian product in general) through the dropout mask; then {@code deltaBelow = delta W^T} (null for the
     * first layer), {@code dC/dW = in^T delta + l2 W} and {@code dC/db = sum over rows of delta}. The gradient is passed
     * down before the weight gradient, whose product runs {@code duringWeightGradient} on the rows it computes (null for
     * nothing): that task may then step the weights.
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
        if (training && dropout > 0) {
            for (int i = 0, n = rows * units; i < n; i++) delta[i] *= mask[i];
        }
        if (!deltaGiven) activation.backward(z, a, delta, delta, rows, units);
        if (w32 == null) {
            if (deltaBelow != null) products.inputGradient(delta, w, deltaBelow, rows, fanIn, units);
            products.weightGradient(in, delta, w, l2, gw, rows, fanIn, units, duringWeightGradient);
        } else { // in32 holds the input of the forward pass
            Dense.toFloat(delta, delta32, rows * units);
            if (deltaBelow != null) products.inputGradient(delta32, w32, deltaBelow, rows, fanIn, units);
            products.weightGradient(in32, delta32, w, l2, gw, rows, fanIn, units, duringWeightGradient);
        }
        Dense.sumColumns(delta, gb, rows, units);
    }
}
