package io.backprop.runner.engine;

import io.backprop.runner.plugin.Cost;
import io.backprop.runner.plugin.Dataset;

/** Measures a network on a whole data set, a batch at a time, in the network's buffers. */
public final class Evaluator {
    private final Network network;
    private final Cost cost;
    private final double[] xb;
    private final double[] yb;

    public Evaluator(Network network, Cost cost) {
        this.network = network;
        this.cost = cost;
        xb = new double[network.maxBatch() * network.inputs()];
        yb = new double[network.maxBatch() * network.outputs()];
    }

    /** {@code [loss, accuracy or rmse]} of the data set, as {@link #evaluate(Dataset, double[])} measures them. */
    public double[] evaluate(Dataset data) {
        double[] result = new double[2];
        evaluate(data, result);
        return result;
    }

    /** {@code [loss, accuracy or rmse]} of the data set: mean cost, and the classification accuracy or the RMSE. */
    void evaluate(Dataset data, double[] result) {
        int outputs = data.outputs();
        double lossSum = 0;
        double hitsOrSquares = 0;
        for (int start = 0; start < data.rows(); start += network.maxBatch()) {
            int rows = Math.min(network.maxBatch(), data.rows() - start);
            System.arraycopy(data.x(), start * data.inputs(), xb, 0, rows * data.inputs());
            System.arraycopy(data.y(), start * outputs, yb, 0, rows * outputs);
            double[] out = network.forward(xb, rows);
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
                ? hitsOrSquares / data.rows() : Math.sqrt(hitsOrSquares / ((double) data.rows() * outputs));
    }
}
