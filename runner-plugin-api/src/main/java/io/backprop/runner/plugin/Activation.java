package io.backprop.runner.plugin;

import java.util.Optional;

/**
 * An activation function applied to a whole batch: {@code rows} examples by {@code cols} units, row-major, in the
 * first {@code rows * cols} entries of each array (arrays may be longer). Implementations allocate nothing.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public interface Activation {
    /** {@code a = g(z)}. {@code a} and {@code z} do not alias. */
    void forward(double[] z, double[] a, int rows, int cols);

    /**
     * The vector-Jacobian product {@code dz = (dC/da) J_g(z)}: for an element-wise g, {@code dz = da ⊙ g'(z)}.
     * {@code a} holds {@code forward(z)}; {@code dz} may alias {@code da}; {@code z} and {@code a} are read only.
     */
    void backward(double[] z, double[] a, double[] da, double[] dz, int rows, int cols);

    /**
     * Describes {@code a = g(z)} as ONNX nodes, for {@code export --format onnx}: adds them to {@code graph}, reading
     * the tensor named {@code z} ({@code [batch, units]}), and gives the name of the tensor holding {@code a}. The
     * default, empty, means the activation cannot be exported; export then refuses in one line naming it.
     */
    default Optional<String> toOnnx(OnnxGraph graph, String z) {
        return Optional.empty();
    }
}
