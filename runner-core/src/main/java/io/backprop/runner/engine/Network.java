package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import java.util.Objects;

/**
 * A feed-forward network and its working buffers. Layer {@code l} has weights {@code w[l]}, biases {@code b[l]} and
 * an activation. The weights are stored {@code fanIn x units[l]}, row-major, input by input, so that the forward
 * product runs along contiguous rows and skips zero inputs (MNIST is mostly zeros); model.json and initializers see
 * them unit by unit, through {@link #weightsByUnit} and {@link #setWeightsByUnit}. Buffers hold one batch of up to
 * {@code maxBatch} rows and are sized once, so forward and backward passes allocate nothing.
 *
 * <p>Backprop as derived: {@code delta^L = grad_a C ⊙ g'(z^L)} (a vector-Jacobian product in general),
 * {@code dC/dW^l = delta^T a^{l-1}}, {@code dC/db^l = sum over rows of delta}, {@code delta^{l-1} = (delta W^l)
 * ⊙ g'(z^{l-1})}; the cost's gradient carries the 1/batch, so the weight gradients are batch averages.
 */
public final class Network {
    final int inputs;
    final int[] units;
    final Activation[] activations;
    final double[][] w;
    final double[][] b;
    final double[][] gw;
    final double[][] gb;
    private final int maxBatch;
    private Workers workers = new Workers(1);
    private Products products = new Products(workers);
    /** The cost whose {@link Cost#delta} replaces the output activation's backward; null for none. */
    private Cost fusedCost;
    private final double[][] z;
    private final double[][] a;
    /** dC/da of each layer, overwritten in place by dC/dz (delta) during backward. */
    private final double[][] g;
    /** Each layer's dropout probability; for layers that have one, the mask (0 or 1/(1-p)) and the masked outputs. */
    private final double[] dropout;
    private final double[][] mask;
    private final double[][] kept;
    private boolean training;

    public Network(int inputs, int[] units, Activation[] activations, int maxBatch) {
        this(inputs, units, activations, new double[units.length], maxBatch);
    }

    /** With {@code dropout[l]}, the probability each output of layer l is dropped in training (0 for none). */
    public Network(int inputs, int[] units, Activation[] activations, double[] dropout, int maxBatch) {
        if (inputs < 1 || units.length == 0 || units.length != activations.length || dropout.length != units.length || maxBatch < 1) {
            throw new IllegalArgumentException("network " + inputs + " -> " + units.length + " layers, batch " + maxBatch);
        }
        this.dropout = dropout.clone();
        mask = new double[units.length][];
        kept = new double[units.length][];
        this.inputs = inputs;
        this.units = units.clone();
        this.activations = activations.clone();
        this.maxBatch = maxBatch;
        int layers = units.length;
        w = new double[layers][];
        b = new double[layers][];
        gw = new double[layers][];
        gb = new double[layers][];
        z = new double[layers][];
        a = new double[layers][];
        g = new double[layers][];
        for (int l = 0; l < layers; l++) {
            Objects.requireNonNull(activations[l], "activation is null");
            int fanIn = fanIn(l);
            w[l] = new double[fanIn * units[l]];
            gw[l] = new double[fanIn * units[l]];
            b[l] = new double[units[l]];
            gb[l] = new double[units[l]];
            z[l] = new double[maxBatch * units[l]];
            a[l] = new double[maxBatch * units[l]];
            g[l] = new double[maxBatch * units[l]];
            if (dropout[l] > 0) {
                mask[l] = new double[maxBatch * units[l]];
                kept[l] = new double[maxBatch * units[l]];
            }
        }
    }

    /**
     * A network of the same shape, dropout and parameters, with {@code activations} of its own and buffers of its own,
     * for a thread to work on apart (the gradient check perturbs replicas side by side).
     */
    public Network replica(Activation[] activations) {
        var copy = new Network(inputs, units, activations, dropout, maxBatch);
        for (int l = 0; l < units.length; l++) {
            System.arraycopy(w[l], 0, copy.w[l], 0, w[l].length);
            System.arraycopy(b[l], 0, copy.b[l], 0, b[l].length);
        }
        return copy;
    }

    /** How many weights and biases the network has. */
    public long parameters() {
        long n = 0;
        for (int l = 0; l < units.length; l++) n += (long) w[l].length + b[l].length;
        return n;
    }

    public int layers() {
        return units.length;
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return units[units.length - 1];
    }

    public int units(int layer) {
        return units[layer];
    }

    public int fanIn(int layer) {
        return layer == 0 ? inputs : units[layer - 1];
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** Layer {@code l}'s weights, {@code fanIn x units}, input by input; the network's own array, live. */
    public double[] weights(int layer) {
        return w[layer];
    }

    /** A copy of layer {@code l}'s weights unit by unit, {@code units x fanIn}: the order of model.json. */
    public double[] weightsByUnit(int layer) {
        return transpose(w[layer], fanIn(layer), units[layer]);
    }

    /** Sets layer {@code l}'s weights from {@code byUnit}, {@code units x fanIn}, unit by unit. */
    public void setWeightsByUnit(int layer, double[] byUnit) {
        double[] t = transpose(byUnit, units[layer], fanIn(layer));
        System.arraycopy(t, 0, w[layer], 0, w[layer].length);
    }

    /** The transpose of {@code x}, {@code rows x cols}, as a new array. */
    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
        return t;
    }

    /** Layer {@code l}'s biases; the network's own array, live. */
    public double[] biases(int layer) {
        return b[layer];
    }

    /** Layer l's outputs (before dropout) of the last forward pass, {@code rows x units}; the network's own buffer. */
    double[] activationsOf(int layer) {
        return a[layer];
    }

    /** dC/dW of the last {@link #backward}, laid out as {@link #weights}; the network's own array. */
    public double[] weightGradient(int layer) {
        return gw[layer];
    }

    /** dC/db of the last {@link #backward}; the network's own array. */
    public double[] biasGradient(int layer) {
        return gb[layer];
    }

    /** Splits the large products across {@code workers}; the results are the same bits whatever their number. */
    public void useWorkers(Workers workers) {
        this.workers = workers;
        products = new Products(workers);
    }

    /** The threads the products are split across. */
    Workers workers() {
        return workers;
    }

    /** Whether any layer drops outputs in training. */
    public boolean hasDropout() {
        for (double p : dropout) if (p > 0) return true;
        return false;
    }

    /**
     * In training mode the forward pass applies the dropout masks last drawn by {@link #sampleDropout}; out of it
     * (for evaluation) no output is dropped.
     */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /** Draws new inverted-dropout masks for a batch: each output kept with probability 1 - p, scaled by 1/(1 - p). */
    public void sampleDropout(int rows, java.util.random.RandomGenerator random) {
        for (int l = 0; l < units.length; l++) {
            if (dropout[l] == 0) continue;
            double p = dropout[l];
            double scale = 1 / (1 - p);
            double[] m = mask[l];
            for (int i = 0, n = rows * units[l]; i < n; i++) m[i] = random.nextDouble() < p ? 0 : scale;
        }
    }

    /** Layer l's output as the next layer sees it: masked in training where the layer has dropout. */
    private double[] output(int l) {
        return training && dropout[l] > 0 ? kept[l] : a[l];
    }

    /** Runs {@code x[rows x inputs]} forward; returns the output buffer ({@code rows x outputs}, valid until the next call). */
    public double[] forward(double[] x, int rows) {
        checkRows(rows);
        double[] in = x;
        for (int l = 0; l < units.length; l++) {
            int fanIn = fanIn(l);
            products.forward(in, w[l], b[l], z[l], rows, fanIn, units[l]);
            activations[l].forward(z[l], a[l], rows, units[l]);
            if (training && dropout[l] > 0) {
                for (int i = 0, n = rows * units[l]; i < n; i++) kept[l][i] = a[l][i] * mask[l][i];
            }
            in = output(l);
        }
        return a[units.length - 1];
    }

    /**
     * After {@link #forward} of the same {@code x}: fills the weight and bias gradients from {@code dOut}, the
     * cost's gradient with respect to the outputs (batch-mean, so the gradients are averages).
     */
    public void backward(double[] x, double[] dOut, int rows) {
        backward(x, dOut, rows, false, 0, null);
    }

    /**
     * As {@link #backward(double[], double[], int)}; with {@code outputDelta}, {@code dOut} is already dC/dz of the
     * output layer, and {@code l2 * W} is added to each weight gradient. With {@code afterWeightGradient}, a layer's
     * weight gradient split by rows runs {@code afterWeightGradient[l]} on each part's rows right after computing them;
     * so each layer passes its gradient down before its weight gradient, which may then change the weights.
     */
    private void backward(double[] x, double[] dOut, int rows, boolean outputDelta, double l2, Workers.Task[] afterWeightGradient) {
        checkRows(rows);
        int last = units.length - 1;
        System.arraycopy(dOut, 0, g[last], 0, rows * units[last]);
        for (int l = last; l >= 0; l--) {
            if (training && dropout[l] > 0) {
                for (int i = 0, n = rows * units[l]; i < n; i++) g[l][i] *= mask[l][i];
            }
            if (l < last || !outputDelta) activations[l].backward(z[l], a[l], g[l], g[l], rows, units[l]);
            double[] in = l == 0 ? x : output(l - 1);
            if (l > 0) products.inputGradient(g[l], w[l], g[l - 1], rows, fanIn(l), units[l]);
            Workers.Task after = afterWeightGradient == null ? null : afterWeightGradient[l];
            products.weightGradient(in, g[l], w[l], l2, gw[l], rows, fanIn(l), units[l], after);
            Dense.sumColumns(g[l], gb[l], rows, units[l]);
        }
    }

    /**
     * Forward and backward for one batch: fills the gradients of {@code C + l2/2 * sum(W^2)} (biases are not
     * regularised) and returns the batch-mean cost {@code C} without the L2 term.
     */
    public double gradient(Cost cost, double[] x, double[] y, int rows, double l2) {
        return gradient(cost, x, y, rows, l2, null);
    }

    /**
     * As {@link #gradient(Cost, double[], double[], int, double)}, running {@code afterWeightGradient[l]} on the rows of
     * layer l's weight gradient as they are computed, where that product is split by rows (see {@link #backward}).
     */
    double gradient(Cost cost, double[] x, double[] y, int rows, double l2, Workers.Task[] afterWeightGradient) {
        double[] out = forward(x, rows);
        int last = units.length - 1;
        double[] dOut = g[last];
        boolean fused = cost == fusedCost;
        if (fused) cost.delta(out, y, dOut, rows, units[last]);
        else cost.gradient(out, y, dOut, rows, units[last]);
        double loss = cost.loss(out, y, rows, units[last]);
        backward(x, dOut, rows, fused, l2, afterWeightGradient);
        return loss;
    }

    /** From now on {@code cost}'s {@link Cost#delta} gives the output layer's dC/dz in {@link #gradient}. */
    public void fuseOutputWith(Cost cost) {
        this.fusedCost = cost;
    }

    /** {@code C + l2/2 * sum(W^2)} on one batch: the objective {@link #gradient} differentiates. */
    public double objective(Cost cost, double[] x, double[] y, int rows, double l2) {
        double[] out = forward(x, rows);
        double c = cost.loss(out, y, rows, outputs());
        return c + l2 / 2 * weightSquares();
    }

    /** The sum of the squares of every weight (biases excluded). */
    public double weightSquares() {
        double s = 0;
        for (double[] wl : w) s += Dense.sumOfSquares(wl, wl.length);
        return s;
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > maxBatch) throw new IllegalArgumentException("batch of " + rows + " rows; buffers hold 1 to " + maxBatch);
    }
}
