package io.backprop.runner.engine;

import io.backprop.runner.engine.kernel.RowTask;
import io.backprop.runner.engine.kernel.Workers;
import io.backprop.runner.plugin.Optimizer;

/**
 * The step of a batch: how the optimizer's update meets backprop, chosen once per run. {@link FusedUpdate} steps the
 * rows of each weight matrix inside the weight-gradient product that has just computed them, while they are in that
 * thread's cache: for an elementwise optimizer, whose update of an element reads that element alone. {@link
 * AfterBackwardUpdate} steps once every gradient is known: for any other optimizer, and whenever the step needs the
 * whole gradient first (global-norm clipping; accumulating the gradients of several batches would go here too). Both
 * give each layer's gradient norm, before any clipping, with the same bits whatever the number of threads.
 */
sealed interface UpdateStrategy permits FusedUpdate, AfterBackwardUpdate {
    /** Per layer, what the weight-gradient product runs on rows as it computes them; null for nothing. */
    RowTask[] duringBackward();

    /** After backward: steps every parameter not yet stepped, and adds each layer's weight-gradient norm to {@code norms[l]}. */
    void step(Workers workers, double[] norms);

    /** Fused where the optimizer is elementwise and nothing needs the whole gradient ({@code clipNorm} 0); else after backward. */
    static UpdateStrategy choose(Network network, Optimizer optimizer, double clipNorm) {
        return optimizer.elementwise() && clipNorm == 0
                ? new FusedUpdate(network, optimizer)
                : new AfterBackwardUpdate(network, optimizer, clipNorm);
    }
}
