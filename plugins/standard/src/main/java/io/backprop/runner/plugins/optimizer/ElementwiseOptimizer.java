package io.backprop.runner.plugins.optimizer;

/** An optimizer whose update of each element reads only that element: the engine may update an array in ranges. */
abstract class ElementwiseOptimizer extends ScaledRateOptimizer {
    ElementwiseOptimizer(double configured) {
        super(configured);
    }

    @Override
    public final boolean elementwise() {
        return true;
    }

    @Override
    public final void step(int slot, double[] params, double[] gradient, int length) {
        step(slot, params, gradient, 0, length);
    }

    @Override
    public abstract void step(int slot, double[] params, double[] gradient, int from, int to);
}
