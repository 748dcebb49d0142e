package io.backprop.runner.plugin;

import java.util.List;
import java.util.Map;

/**
 * The ONNX graph an exported model is being written into, as an {@link Activation} sees it when it describes itself
 * ({@link Activation#toOnnx}). Tensors are named by strings; every tensor here holds the model's element type
 * (float32 or float64, see {@link #float64()}). Operators are those of ONNX's default domain at opset
 * {@link #OPSET}.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public interface OnnxGraph {
    /** The opset of ONNX's default domain that exported models import. */
    int OPSET = 17;

    /**
     * Adds a node of {@code operator} ("Sigmoid", "Mul": an ONNX operator's exact name) over the tensors
     * {@code inputs}, with {@code attributes} by name (a {@link Double} or {@link Float} becomes a float attribute,
     * an {@link Integer} or {@link Long} an int, a {@link String} a string), and gives the name of its one output.
     */
    String node(String operator, List<String> inputs, Map<String, Object> attributes);

    /** {@link #node(String, List, Map)} without attributes. */
    default String node(String operator, String... inputs) {
        return node(operator, List.of(inputs), Map.of());
    }

    /** A scalar constant of the model's element type, broadcast by the operators that take it; gives its name. */
    String constant(double value);

    /**
     * Whether the model computes in float64, where it is meant to give the runner's own results to rounding: an
     * attribute that ONNX holds as a float32 (LeakyRelu's alpha) then loses digits, and a description should use
     * {@link #constant} and elementary operators instead when its parameter is not exactly a float32.
     */
    boolean float64();
}
