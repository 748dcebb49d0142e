package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;

/** Measures a network on a whole data set, a batch at a time, in the network's buffers. */
public final class Evaluator {
    private final Network network;
    private final Cost cost;
    private final double[] xb;
    private final double[] yb;
    /** Per layer and unit: whether the unit gave a nonzero output on any example of the last evaluation. */
    private final boolean[][] alive;
    /** 0, 1, 2, ...: the order in which a data set is evaluated, as long as the largest one yet. */
    private int[] inOrder = new int[0];

    public Evaluator(Network network, Cost cost) {
        this.network = network;
        this.cost = cost;
        xb = new double[network.maxBatch() * network.inputs()];
        yb = new double[network.maxBatch() * network.outputs()];
        alive = new boolean[network.layers()][];
        for (int l = 0; l < network.layers(); l++) alive[l] = new boolean[network.units(l)];
    }

    /** The share of layer l's units whose output was 0 for every example of the last evaluation: dead ReLUs. */
    double deadFraction(int layer) {
        int dead = 0;
        for (boolean a : alive[layer]) if (!a) dead++;
        return (double) dead / alive[layer].length;
    }

    private void markAlive(int layer, int rows) {
        double[] a = network.activationsOf(layer);
        boolean[] seen = alive[layer];
        int units = seen.length;
        for (int r = 0; r < rows; r++) {
            for (int u = 0, o = r * units; u < units; u++) if (a[o + u] != 0) seen[u] = true;
        }
    }

    /**
     * Copies the data set's batches in order into the input buffers, as in training: on two threads each copies the
     * half of the inputs its half of the forward product reads.
     */
    private BatchGather gatherInOrder(Dataset data) {
        if (inOrder.length < data.rows()) {
            inOrder = new int[data.rows()];
            for (int i = 0; i < inOrder.length; i++) inOrder[i] = i;
        }
        return new BatchGather(
                data, inOrder, xb, yb, Products.splits(network.maxBatch(), data.inputs(), network.units(0)));
    }

    /** {@code [loss, accuracy or rmse]} of the data set, as {@link #evaluate(Dataset, double[])} measures them. */
    public double[] evaluate(Dataset data) {
        double[] result = new double[2];
        evaluate(data, result);
        return result;
    }

    /**
     * The network's outputs for every example of the data set, {@code rows x outputs} row-major, a new array: what
     * the metrics of a whole split are computed from.
     */
    public double[] outputs(Dataset data) {
        int outputs = network.outputs();
        double[] all = new double[data.rows() * outputs];
        var gather = gatherInOrder(data);
        for (int start = 0; start < data.rows(); start += network.maxBatch()) {
            int rows = Math.min(network.maxBatch(), data.rows() - start);
            gather.gather(network.workers(), start, rows);
            System.arraycopy(network.forward(xb, rows), 0, all, start * outputs, rows * outputs);
        }
        return all;
    }

    /** {@code [loss, accuracy or rmse]} of the data set: mean cost, and the classification accuracy or the RMSE. */
    void evaluate(Dataset data, double[] result) {
        int outputs = data.outputs();
        double lossSum = 0;
        double hitsOrSquares = 0;
        for (boolean[] a : alive) java.util.Arrays.fill(a, false);
        var gather = gatherInOrder(data);
        for (int start = 0; start < data.rows(); start += network.maxBatch()) {
            int rows = Math.min(network.maxBatch(), data.rows() - start);
            gather.gather(network.workers(), start, rows);
            double[] out = network.forward(xb, rows);
            for (int l = 0; l < network.layers(); l++) markAlive(l, rows);
            lossSum += cost.loss(out, yb, rows, outputs) * rows;
            if (data.task() == Dataset.Task.CLASSIFICATION) {
                for (int r = 0; r < rows; r++) {
                    if (Dataset.labelOf(out, r, outputs) == Dataset.labelOf(yb, r, outputs)) hitsOrSquares++;
                }
            } else {
                for (int i = 0; i < rows * outputs; i++) hitsOrSquares += (out[i] - yb[i]) * (out[i] - yb[i]);
            }
        }
        result[0] = lossSum / data.rows();
        result[1] = data.task() == Dataset.Task.CLASSIFICATION
                ? hitsOrSquares / data.rows()
                : Math.sqrt(hitsOrSquares / ((double) data.rows() * outputs));
    }
}
