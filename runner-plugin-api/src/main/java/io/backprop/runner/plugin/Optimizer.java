package io.backprop.runner.plugin;

/**
 * Updates parameters from batch-averaged gradients. The engine calls {@link #prepare} once; before each epoch,
 * {@link #scaleLearningRate} with the schedule's factor; then {@link #step} for every parameter array after every
 * batch. Allocates nothing in {@code step}.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface Optimizer {
    /** The lengths of the parameter arrays, by slot (weights then biases, layer by layer); size any state here. */
    default void prepare(int[] lengths) {}

    /** Sets the learning rate in force to the configured one times {@code factor}, from the learning-rate schedule. */
    default void scaleLearningRate(double factor) {}

    /** Updates {@code params[0, gradient length)} in place; {@code gradient} already holds any L2 term. */
    void step(int slot, double[] params, double[] gradient, int length);

    /**
     * Whether each element's update reads only that element's gradient and state, and nothing is counted per call.
     * Then the engine may update disjoint ranges of one array from several threads at once, through {@link
     * #step(int, double[], double[], int, int)}, which must give the bits of one whole {@link #step(int, double[],
     * double[], int)}. False by default: the engine then updates each array whole, on one thread.
     */
    default boolean elementwise() {
        return false;
    }

    /**
     * Updates {@code params[from, to)} in place; called only if {@link #elementwise()}, possibly from several threads
     * at once on disjoint ranges of the same array.
     */
    default void step(int slot, double[] params, double[] gradient, int from, int to) {
        throw new UnsupportedOperationException(getClass().getName() + " updates whole arrays only");
    }

    /**
     * The state the optimizer carries between steps (velocities, moments, step counts), as its own live arrays in a
     * fixed order, valid after {@link #prepare}. A checkpoint saves them; resuming writes the saved values back into
     * them, so an optimizer whose state is all here resumes exactly. Empty (the default) for a stateless optimizer.
     */
    default java.util.List<double[]> state() {
        return java.util.List.of();
    }

    /**
     * The rate r if every step of this optimizer is, element by element, exactly {@code params[i] -= r * gradient[i]}
     * (plain gradient descent: no state, nothing counted, whatever the slot), in the bits of that Java statement;
     * NaN (the default) for any other step. Where it is a number, the engine may apply the step itself as it computes
     * each gradient, in one pass over the weights instead of several, with the same bits as {@link #step}; asked
     * again for every batch, so it follows the learning-rate schedule.
     *
     * @since 0.1
     */
    default double plainRate() {
        return Double.NaN;
    }

    /** The learning rate in force, for the metrics; NaN if the optimizer has none. */
    default double learningRate() {
        return Double.NaN;
    }
}
