package io.backprop.runner.plugin;

import java.util.Map;

/**
 * Transforms input columns, after learning how from the training inputs only: {@link #fit} once on the training
 * set, then {@link #apply} to every split and to inputs of a saved model. What it learned is saved with the model.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public interface Preprocessor {
    /**
     * Called before {@link #fit} when the inputs are encoded table columns: {@code codes[c]} says input {@code c} is a
     * 0/1 code (a one-hot category, a missing-value indicator) rather than a measurement, which a scaler may leave
     * alone. Not called for inputs that are all measurements.
     */
    default void codeInputs(boolean[] codes) {}

    /** Learns from the training inputs, {@code rows x cols} row-major; never modifies them. */
    void fit(double[] x, int rows, int cols);

    /** Transforms {@code x} ({@code rows x cols}) in place, as fitted. */
    void apply(double[] x, int rows, int cols);

    /** What {@link #fit} learned, by name ("mean": one value per column), for model.json. */
    Map<String, double[]> state();

    /** Takes back what {@link #state} gave, in place of a fit. */
    void restore(Map<String, double[]> state);
}
