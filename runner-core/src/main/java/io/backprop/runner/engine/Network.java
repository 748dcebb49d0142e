package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.RowTask;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import java.util.ArrayList;
import java.util.List;

/**
 * A feed-forward network: a list of {@link Layer}s, each owning its parameters (seen from outside as named {@link
 * Slot}s), gradients and buffers. A dense layer {@code l} has weights {@code fanIn x units[l]}, input by input; its
 * accessors ({@link #weights}, {@link #weightsByUnit}, ...) are for tests and benchmarks, everything else walks slots. Buffers hold one batch of up to {@code maxBatch} rows
 * and are sized once, so forward and backward passes allocate nothing.
 *
 * <p>Backprop as derived, the four equations in {@link #gradient} and {@link DenseLayer#backward}: (1) {@code delta^L =
 * grad_a C ⊙ g'(z^L)} ({@link #outputDelta}; a vector-Jacobian product in general, or the cost's fused delta); (2)
 * {@code delta^{l-1} = (delta^l W^l^T) ⊙ g'(z^{l-1})}; (3) {@code dC/db^l = sum over rows of delta^l}; (4) {@code dC/dW^l
 * = a^{l-1}^T delta^l}. The cost's gradient carries the 1/batch, so the gradients are batch averages.
 */
public final class Network {
    private final int inputs;
    private final int maxBatch;
    private final Layer[] layers;
    /** Every parameter array and its gradient, by optimizer slot: each layer's slots in turn. */
    private final double[][] parameters;

    private final double[][] gradients;
    /** Per layer, the optimizer slot of its first parameter slot. */
    private final int[] firstSlot;

    private Workers workers = new Workers(1);
    private Products products = new Products(workers);
    /** The cost whose {@link Cost#delta} replaces the output activation's backward; null for none. */
    private Cost fusedCost;

    private boolean training;
    private Precision precision = Precision.FLOAT64;

    public Network(int inputs, int[] units, Activation[] activations, int maxBatch) {
        this(inputs, units, activations, new double[units.length], maxBatch);
    }

    /** Dense layers, with {@code dropout[l]}, the probability each output of layer l is dropped in training (0 for none). */
    public Network(int inputs, int[] units, Activation[] activations, double[] dropout, int maxBatch) {
        this(inputs, denseLayers(inputs, units, activations, dropout, maxBatch), maxBatch);
    }

    /** Of {@code layers}, input side first, each taking the one below's outputs and sized for {@code maxBatch} rows. */
    public Network(int inputs, List<Layer> layers, int maxBatch) {
        if (inputs < 1 || layers.isEmpty() || maxBatch < 1) {
            throw new IllegalArgumentException(
                    "network " + inputs + " -> " + layers.size() + " layers, batch " + maxBatch);
        }
        this.inputs = inputs;
        this.maxBatch = maxBatch;
        this.layers = layers.toArray(Layer[]::new);
        firstSlot = new int[this.layers.length];
        List<double[]> slots = new ArrayList<>();
        List<double[]> slotGradients = new ArrayList<>();
        for (int l = 0; l < this.layers.length; l++) {
            int fanIn = l == 0 ? inputs : this.layers[l - 1].units();
            if (this.layers[l].fanIn() != fanIn) {
                throw new IllegalArgumentException(
                        "layer " + l + " takes " + this.layers[l].fanIn() + " inputs; the one below gives " + fanIn);
            }
            firstSlot[l] = slots.size();
            for (Slot slot : this.layers[l].slots()) {
                slots.add(slot.values());
                slotGradients.add(slot.gradient());
            }
        }
        parameters = slots.toArray(double[][]::new);
        gradients = slotGradients.toArray(double[][]::new);
    }

    private static List<Layer> denseLayers(
            int inputs, int[] units, Activation[] activations, double[] dropout, int maxBatch) {
        if (units.length != activations.length || dropout.length != units.length) {
            throw new IllegalArgumentException(
                    units.length + " layers, " + activations.length + " activations, " + dropout.length + " dropouts");
        }
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < units.length; l++) {
            layers.add(new DenseLayer(l == 0 ? inputs : units[l - 1], units[l], activations[l], dropout[l], maxBatch));
        }
        return layers;
    }

    /**
     * A network of the same layers and parameters, with {@code activations[l]} of its own for each layer that has one
     * (null for one without) and buffers of its own, for a thread to work on apart (the gradient check perturbs
     * replicas side by side).
     */
    public Network replica(Activation[] activations) {
        List<Layer> copies = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) copies.add(layers[l].replica(activations[l], maxBatch));
        var copy = new Network(inputs, copies, maxBatch);
        copy.usePrecision(precision);
        for (int s = 0; s < parameters.length; s++)
            System.arraycopy(parameters[s], 0, copy.parameters[s], 0, parameters[s].length);
        return copy;
    }

    /** How many weights and biases the network has. */
    public long parameters() {
        long n = 0;
        for (double[] p : parameters) n += p.length;
        return n;
    }

    /** The layers, input side first. */
    List<Layer> layerList() {
        return List.of(layers);
    }

    /** Layer {@code l}. */
    public Layer layer(int l) {
        return layers[l];
    }

    /** Layer {@code l}'s parameter slots, in optimizer order; its own arrays, live. */
    public List<Slot> slots(int layer) {
        return layers[layer].slots();
    }

    /** The optimizer slot of layer {@code l}'s first parameter slot: its slots are that one and those after it. */
    public int firstSlot(int layer) {
        return firstSlot[layer];
    }

    /** Layer {@code l} as a dense layer, for the dense accessors below; an exception for a layer of another kind. */
    DenseLayer dense(int l) {
        if (layers[l] instanceof DenseLayer dense) return dense;
        throw new IllegalArgumentException("layer " + l + " is not a dense layer");
    }

    /** Every parameter array by optimizer slot (each layer's slots in turn); the network's own, live. */
    public double[][] slots() {
        return parameters;
    }

    /** The gradient of each slot of {@link #slots}; the network's own, live. */
    double[][] slotGradients() {
        return gradients;
    }

    public int layers() {
        return layers.length;
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return layers[layers.length - 1].units();
    }

    public int units(int layer) {
        return layers[layer].units();
    }

    public int fanIn(int layer) {
        return layers[layer].fanIn();
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** The multiply-adds of the dense layers' products in a forward pass of {@link #maxBatch} rows. */
    long batchMultiplyAdds() {
        long work = 0;
        for (Layer layer : layers) if (layer instanceof DenseLayer) work += (long) layer.fanIn() * layer.units();
        return work * maxBatch;
    }

    /** Layer {@code l}'s weights, {@code fanIn x units}, input by input; the network's own array, live. */
    public double[] weights(int layer) {
        return dense(layer).w;
    }

    /** A copy of layer {@code l}'s weights unit by unit, {@code units x fanIn}: the order of model.json. */
    public double[] weightsByUnit(int layer) {
        return transpose(weights(layer), fanIn(layer), units(layer));
    }

    /** Sets layer {@code l}'s weights from {@code byUnit}, {@code units x fanIn}, unit by unit. */
    public void setWeightsByUnit(int layer, double[] byUnit) {
        double[] t = transpose(byUnit, units(layer), fanIn(layer));
        System.arraycopy(t, 0, weights(layer), 0, t.length);
    }

    /** The transpose of {@code x}, {@code rows x cols}, as a new array. */
    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
        return t;
    }

    /** Layer {@code l}'s biases; the network's own array, live. */
    public double[] biases(int layer) {
        return dense(layer).b;
    }

    /** Layer l's outputs (before dropout) of the last forward pass, {@code rows x units}; the network's own buffer. */
    double[] activationsOf(int layer) {
        return layers[layer].activations();
    }

    /** dC/dW of the last {@link #backward}, laid out as {@link #weights}; the network's own array. */
    public double[] weightGradient(int layer) {
        return dense(layer).gw;
    }

    /** dC/db of the last {@link #backward}; the network's own array. */
    public double[] biasGradient(int layer) {
        return dense(layer).gb;
    }

    /** Splits the large products across {@code workers}; the results are the same bits whatever their number. */
    public void useWorkers(Workers workers) {
        this.workers = workers;
        products = new Products(workers);
    }

    /** From now on the dense layers' products compute in {@code precision} (see {@link Precision}). */
    public void usePrecision(Precision precision) {
        this.precision = java.util.Objects.requireNonNull(precision, "precision is null");
        for (Layer layer : layers) layer.usePrecision(precision);
    }

    /** What the dense layers' products compute in. */
    public Precision precision() {
        return precision;
    }

    /** What the products compute in: {@code float64 with fused multiply-add}, {@code float32 with separate multiply and add}. */
    public String arithmetic() {
        return precision.yamlName() + " with "
                + (products.fused() ? "fused multiply-add" : "separate multiply and add");
    }

    /**
     * While on, the dense layers' float32 weights are kept by the steps ({@link DenseLayer#weightsStepped}) instead
     * of copied whole at every forward pass: for the trainer's epoch and its measurement, where only the update writes
     * the weights.
     */
    void keepFloatWeights(boolean on) {
        for (Layer layer : layers) if (layer instanceof DenseLayer dense) dense.keepFloatWeights(on);
    }

    /**
     * The float buffer the first layer's products read its input from, where it is dense and in float32 (else
     * null): while {@link #floatInputsGiven} is on, a forward pass takes the batch's inputs from it as written there
     * instead of converting the double ones.
     */
    float[] floatInputs() {
        return layers[0] instanceof DenseLayer dense ? dense.floatInput() : null;
    }

    /** See {@link #floatInputs}: for the trainer's batches, gathered straight from a float copy of the data set. */
    void floatInputsGiven(boolean on) {
        if (layers[0] instanceof DenseLayer dense) dense.floatInputGiven(on);
    }

    /** The threads the products are split across. */
    Workers workers() {
        return workers;
    }

    /** Whether any layer drops outputs in training. */
    public boolean hasDropout() {
        for (Layer layer : layers) if (layer.hasDropout()) return true;
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
        for (Layer layer : layers) layer.sampleDropout(rows, random);
    }

    /** Runs {@code x[rows x inputs]} forward; returns the output buffer ({@code rows x outputs}, valid until the next call). */
    public double[] forward(double[] x, int rows) {
        checkRows(rows);
        double[] in = x;
        for (Layer layer : layers) {
            layer.forward(in, rows, products, training);
            in = layer.output(training);
        }
        return layers[layers.length - 1].activations();
    }

    /**
     * After {@link #forward} of the same {@code x}: fills the weight and bias gradients from {@code dOut}, the
     * cost's gradient with respect to the outputs (batch-mean, so the gradients are averages).
     */
    public void backward(double[] x, double[] dOut, int rows) {
        checkRows(rows);
        Layer output = layers[layers.length - 1];
        System.arraycopy(dOut, 0, output.delta(), 0, rows * output.units());
        backward(x, rows, false, 0, null);
    }

    /**
     * From the output layer's {@code delta} down: with {@code outputDelta} it is dC/dz already, and {@code l2 * W} is
     * added to each weight gradient. Layer l's weight-gradient product runs {@code duringWeightGradient[l]} (null for
     * nothing) on the rows it computes; see {@link DenseLayer#backward}.
     */
    private void backward(double[] x, int rows, boolean outputDelta, double l2, RowTask[] duringWeightGradient) {
        int last = layers.length - 1;
        for (int l = last; l >= 0; l--) {
            double[] in = l == 0 ? x : layers[l - 1].output(training);
            double[] deltaBelow = l == 0 ? null : layers[l - 1].delta();
            layers[l].backward(
                    in,
                    deltaBelow,
                    rows,
                    products,
                    training,
                    l == last && outputDelta,
                    l2,
                    duringWeightGradient == null ? null : duringWeightGradient[l]);
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
     * As {@link #gradient(Cost, double[], double[], int, double)}, running {@code duringWeightGradient[l]} on the rows
     * of layer l's weight gradient as they are computed, where that product is split by rows (see {@link #backward}).
     */
    double gradient(Cost cost, double[] x, double[] y, int rows, double l2, RowTask[] duringWeightGradient) {
        double[] out = forward(x, rows);
        double loss = cost.loss(out, y, rows, outputs());
        backward(cost, x, y, rows, l2, duringWeightGradient);
        return loss;
    }

    /**
     * After {@link #forward} of {@code x}: equation (1) for the output layer against targets {@code y}, then (2) to
     * (4) layer by layer down, filling the gradients of {@code C + l2/2 * sum(W^2)}; layer l's weight-gradient product
     * runs {@code duringWeightGradient[l]} on the rows it computes (null for nothing).
     */
    void backward(Cost cost, double[] x, double[] y, int rows, double l2, RowTask[] duringWeightGradient) {
        boolean isDelta = outputDelta(cost, layers[layers.length - 1].activations(), y, rows);
        backward(x, rows, isDelta, l2, duringWeightGradient);
    }

    /**
     * Equation (1) into the output layer's {@code delta}: the cost's fused {@code dC/dz} where it fuses with the output
     * activation (softmax and cross-entropy: {@code a - y}), returning true; else {@code dC/da}, which backward takes
     * through {@code g'(z)}, returning false.
     */
    private boolean outputDelta(Cost cost, double[] out, double[] y, int rows) {
        Layer output = layers[layers.length - 1];
        if (cost == fusedCost) {
            cost.delta(out, y, output.delta(), rows, output.units());
            return true;
        }
        cost.gradient(out, y, output.delta(), rows, output.units());
        return false;
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

    /** The sum of the squares of every regularized slot: the weights (biases and scales excluded). */
    public double weightSquares() {
        double s = 0;
        for (Layer layer : layers) {
            for (Slot slot : layer.slots())
                if (slot.regularized()) s += Dense.sumOfSquares(slot.values(), slot.values().length);
        }
        return s;
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > maxBatch)
            throw new IllegalArgumentException("batch of " + rows + " rows; buffers hold 1 to " + maxBatch);
    }
}
