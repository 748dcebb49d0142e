package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Optimizer;

/**
 * Steps every parameter array whole once backprop has filled all the gradients, slot by slot, on the calling thread.
 * With {@code clipNorm > 0}, the gradients are first scaled by {@code clipNorm / norm} where their global norm (over
 * every weight and bias gradient) exceeds it. Each layer's norm is the sum of its rows' sums of squares in row order,
 * as {@link FusedUpdate} takes it, so the reported norms have the same bits either way.
 */
final class AfterBackwardUpdate implements UpdateStrategy {
    private final Network network;
    private final Optimizer optimizer;
    private final double clipNorm;

    AfterBackwardUpdate(Network network, Optimizer optimizer, double clipNorm) {
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clipNorm " + clipNorm);
        this.network = network;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
    }

    @Override
    public Workers.Task[] duringBackward() {
        return null;
    }

    @Override
    public void step(Workers workers, double[] norms) {
        double squares = 0;
        for (int l = 0; l < network.layers(); l++) {
            DenseLayer layer = network.dense(l);
            double weightSquares = 0;
            for (int r = 0; r < layer.fanIn; r++) weightSquares += Dense.sumOfSquares(layer.gw, r * layer.units, (r + 1) * layer.units);
            norms[l] += Math.sqrt(weightSquares);
            squares += weightSquares + Dense.sumOfSquares(layer.gb, layer.gb.length);
        }
        double[][] slots = network.slots();
        double[][] gradients = network.slotGradients();
        double norm = Math.sqrt(squares);
        if (clipNorm > 0 && norm > clipNorm) {
            double scale = clipNorm / norm;
            for (double[] g : gradients) for (int i = 0; i < g.length; i++) g[i] *= scale;
        }
        for (int s = 0; s < slots.length; s++) optimizer.step(s, slots[s], gradients[s], gradients[s].length);
    }
}
