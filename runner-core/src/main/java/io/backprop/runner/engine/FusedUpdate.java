package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.PlainStep;
import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.RowTask;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Optimizer;
import java.util.List;

/**
 * The fused step, for an elementwise optimizer: the optimizer's update of every parameter array and the norm of each
 * weight gradient (dense layers; a layer of another kind has its slots stepped whole after backprop). Large weight
 * matrices are split by rows across the threads as the weight-gradient product splits them, so each thread updates
 * rows it has just written, in its own cache. With an elementwise optimizer, a layer whose weight gradient is split by
 * rows has its rows stepped in that very call ({@link #afterWeightGradient}), each thread's right after it computes
 * them, a block at a time, while they are in its cache. A norm is the sum of its rows' sums of squares, taken in row
 * order, so it has the same bits whatever the number of threads and wherever the rows were stepped. Where the
 * optimizer is plain gradient descent ({@link Optimizer#plainRate}), the native weight-gradient product applies the
 * step itself as it computes each gradient ({@link PlainStep}), the same bits in one pass instead of four.
 */
final class FusedUpdate implements UpdateStrategy, Workers.Task {
    /** Weights below which a layer is updated on the calling thread alone. */
    static final int PARALLEL_THRESHOLD = 1 << 15;

    private final Network network;
    private final Optimizer optimizer;
    private final double[][] rowSquares;
    private final boolean[] split;
    /** Per layer, the task that steps rows once their gradient is computed. */
    private final RowTask[] afterWeightGradient;
    /** Which layers are dense, their weights stepped row by row here; every other layer's slots are stepped whole. */
    private final boolean[] fused;
    /** Which layers' weights were stepped during backprop in this batch. */
    private final boolean[] stepped;

    FusedUpdate(Network network, Optimizer optimizer) {
        if (!optimizer.elementwise())
            throw new IllegalArgumentException("a fused update needs an elementwise optimizer");
        this.network = network;
        this.optimizer = optimizer;
        int layers = network.layers();
        rowSquares = new double[layers][];
        split = new boolean[layers];
        stepped = new boolean[layers];
        fused = new boolean[layers];
        for (int l = 0; l < layers; l++) {
            fused[l] = network.layer(l) instanceof DenseLayer;
            rowSquares[l] = new double[fused[l] ? network.fanIn(l) : 0];
            split[l] = fused[l] && network.weights(l).length >= PARALLEL_THRESHOLD;
        }
        afterWeightGradient = new RowTask[layers];
        for (int l = 0; l < layers; l++) if (fused[l]) afterWeightGradient[l] = new LayerStep(l);
    }

    /**
     * Layer l's rows, once their gradient is computed: stepped here, or, where the optimizer is plain gradient descent,
     * by the product as it computes them, which leaves their norms in eight lanes a row.
     */
    private final class LayerStep implements PlainStep {
        private final int layer;
        private final double[] lanes;

        LayerStep(int layer) {
            this.layer = layer;
            this.lanes = new double[network.fanIn(layer) * 8];
        }

        @Override
        public void rows(int from, int to) {
            stepRows(layer, from, to);
            stepped[layer] = true;
        }

        @Override
        public double rate() {
            return optimizer.plainRate();
        }

        @Override
        public float[] floatWeights() {
            return network.dense(layer).w32;
        }

        @Override
        public double[] squares() {
            return lanes;
        }

        @Override
        public void stepped(int from, int to) {
            double[] squares = rowSquares[layer];
            for (int r = from; r < to; r++) squares[r] = Dense.sumOfLanes(lanes, r * 8);
            stepped[layer] = true;
        }
    }

    @Override
    public RowTask[] duringBackward() {
        return afterWeightGradient;
    }

    /**
     * Updates every parameter array from the network's gradients (but the weights already stepped during backprop) and
     * adds each layer's gradient norm to {@code norms[l]}.
     */
    @Override
    public void step(Workers workers, double[] norms) {
        boolean any = false;
        for (int l = 0; l < network.layers(); l++) any |= split[l] && !stepped[l];
        if (any && workers.size() > 1) workers.run(this);
        else run(0, 1);
        for (int l = 0; l < network.layers(); l++) {
            if (!fused[l]) {
                stepWhole(l, norms);
                continue;
            }
            double squares = 0;
            for (double s : rowSquares[l]) squares += s;
            norms[l] += Math.sqrt(squares);
            DenseLayer layer = network.dense(l);
            optimizer.step(network.firstSlot(l) + 1, layer.b, layer.gb, layer.gb.length);
            stepped[l] = false;
        }
    }

    /** A layer of another kind than dense: its norm from its first slot, then every slot stepped whole. */
    private void stepWhole(int l, double[] norms) {
        List<Slot> slots = network.slots(l);
        if (slots.isEmpty()) return;
        norms[l] += Math.sqrt(AfterBackwardUpdate.rowSquares(slots.get(0)));
        for (int s = 0; s < slots.size(); s++) {
            Slot slot = slots.get(s);
            optimizer.step(network.firstSlot(l) + s, slot.values(), slot.gradient(), slot.gradient().length);
        }
    }

    @Override
    public void run(int part, int parts) {
        for (int l = 0; l < network.layers(); l++) {
            if (stepped[l] || !fused[l]) continue;
            int rows = network.fanIn(l);
            int from = 0;
            int to = rows;
            if (parts > 1) {
                if (!split[l]) {
                    if (part != 0) continue;
                } else {
                    from = Workers.slice(rows, Products.ROW_UNIT, part, parts);
                    to = Workers.slice(rows, Products.ROW_UNIT, part + 1, parts);
                }
            }
            stepRows(l, from, to);
        }
    }

    /** The norms of rows {@code [from, to)} of layer l's weight gradient, and their step. */
    private void stepRows(int l, int from, int to) {
        int units = network.units(l);
        double[] gw = network.weightGradient(l);
        double[] w = network.weights(l);
        // As many rows at a time as a weight gradient hands over (inside a level-2 cache, in few native calls), so
        // that the step reads the gradient the norm has just brought into cache, and the float copy the weights the
        // step has just written.
        int chunk = Math.max(1, Products.AFTER_BLOCK / units);
        for (int r0 = from; r0 < to; r0 += chunk) {
            int r1 = Math.min(to, r0 + chunk);
            Dense.rowSumsOfSquares(gw, units, r0, r1, rowSquares[l]);
            optimizer.step(network.firstSlot(l), w, gw, r0 * units, r1 * units);
            network.dense(l).weightsStepped(r0, r1);
        }
    }
}
