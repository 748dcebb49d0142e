package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.Dense;
import io.backprop.runner.engine.kernel.RowTask;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Optimizer;
import java.util.List;

/**
 * Steps every parameter array whole once backprop has filled all the gradients, slot by slot, on the calling thread.
 * With {@code clipNorm > 0}, the gradients are first scaled by {@code clipNorm / norm} where their global norm (over
 * every slot's gradient) exceeds it. Each layer's norm is its first slot's rows' sums of squares summed in row order,
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
    public RowTask[] duringBackward() {
        return null;
    }

    @Override
    public void step(Workers workers, double[] norms) {
        double squares = 0;
        for (int l = 0; l < network.layers(); l++) {
            List<Slot> slots = network.slots(l);
            if (slots.isEmpty()) continue;
            double firstSquares = rowSquares(slots.get(0));
            norms[l] += Math.sqrt(firstSquares);
            double layerSquares = firstSquares;
            for (int s = 1; s < slots.size(); s++)
                layerSquares +=
                        Dense.sumOfSquares(slots.get(s).gradient(), slots.get(s).gradient().length);
            squares += layerSquares;
        }
        double[][] slots = network.slots();
        double[][] gradients = network.slotGradients();
        double norm = Math.sqrt(squares);
        if (clipNorm > 0 && norm > clipNorm) {
            double scale = clipNorm / norm;
            for (double[] g : gradients) for (int i = 0; i < g.length; i++) g[i] *= scale;
        }
        for (int s = 0; s < slots.length; s++) optimizer.step(s, slots[s], gradients[s], gradients[s].length);
        for (int l = 0; l < network.layers(); l++)
            if (network.layer(l) instanceof DenseLayer dense) dense.weightsStepped(0, dense.fanIn);
    }

    /** The sum of a slot's gradient squares, row by row in row order: the layer's gradient norm squared. */
    static double rowSquares(Slot slot) {
        double squares = 0;
        for (int r = 0; r < slot.rows(); r++)
            squares += Dense.sumOfSquares(slot.gradient(), r * slot.cols(), (r + 1) * slot.cols());
        return squares;
    }
}
