package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Dataset;

/**
 * Copies a batch of examples, in a given order (training's shuffled one, or evaluation's), into the buffers the
 * network reads. Where the first layer's products are split between threads, each thread copies a slice of the
 * inputs: with two, the half whose weight rows it owns ({@link Products#forward}), so that its halves of the forward
 * product and of the weight gradient read the batch from its own cache rather than from the other core's.
 */
final class BatchGather implements Workers.Task {
    private final Dataset data;
    private final int[] order;
    private final double[] x;
    private final double[] y;
    private final boolean split;
    private int start;
    private int rows;

    BatchGather(Dataset data, int[] order, double[] x, double[] y, boolean split) {
        this.data = data;
        this.order = order;
        this.x = x;
        this.y = y;
        this.split = split;
    }

    /** Copies examples {@code order[start, start + rows)} into rows {@code [0, rows)} of the buffers. */
    void gather(Workers workers, int start, int rows) {
        this.start = start;
        this.rows = rows;
        if (split) workers.run(this);
        else run(0, 1);
    }

    @Override
    public void run(int part, int parts) {
        int in = data.inputs();
        int from = Workers.slice(in, Products.ROW_UNIT, part, parts);
        int to = Workers.slice(in, Products.ROW_UNIT, part + 1, parts);
        double[] all = data.x();
        for (int r = 0; r < rows; r++) System.arraycopy(all, order[start + r] * in + from, x, r * in + from, to - from);
        if (part != 0) return;
        int out = data.outputs();
        for (int r = 0; r < rows; r++) System.arraycopy(data.y(), order[start + r] * out, y, r * out, out);
    }
}
