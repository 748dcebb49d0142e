package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Products;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Dataset;

/**
 * Copies a batch of examples, in a given order (training's shuffled one, or evaluation's), into the buffers the
 * network reads: in float32, the inputs from a float copy of the data set into the first layer's float buffer, half
 * the bytes of the double ones, with no conversion per batch. Where the first layer's products are split between
 * threads, each thread copies a slice of the inputs: with two, the half whose weight rows it owns ({@link
 * Products#forward}), so that its halves of the forward product and of the weight gradient read the batch from its own
 * cache rather than from the other core's.
 */
final class BatchGather implements Workers.Task {
    private final Dataset data;
    private final int[] order;
    private final double[] x;
    /** In float32: the data set's inputs as floats and the float buffer they go to, instead of {@code x}; else null. */
    private final float[] all32;

    private final float[] x32;
    private final double[] y;
    private final boolean split;
    private int start;
    private int rows;

    /** Into double buffers. */
    BatchGather(Dataset data, int[] order, double[] x, double[] y, boolean split) {
        this(data, order, x, null, null, y, split);
    }

    /** The inputs from {@code all32} into {@code x32} where given (both, or neither), else into {@code x}. */
    BatchGather(Dataset data, int[] order, double[] x, float[] all32, float[] x32, double[] y, boolean split) {
        this.data = data;
        this.order = order;
        this.x = x;
        this.all32 = all32;
        this.x32 = x32;
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
        if (all32 != null) {
            for (int r = 0; r < rows; r++)
                System.arraycopy(all32, order[start + r] * in + from, x32, r * in + from, to - from);
        } else {
            double[] all = data.x();
            for (int r = 0; r < rows; r++)
                System.arraycopy(all, order[start + r] * in + from, x, r * in + from, to - from);
        }
        if (part != 0) return;
        int out = data.outputs();
        for (int r = 0; r < rows; r++) System.arraycopy(data.y(), order[start + r] * out, y, r * out, out);
    }
}
