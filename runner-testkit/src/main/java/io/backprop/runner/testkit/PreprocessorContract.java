package io.backprop.runner.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backprop.runner.plugin.Preprocessor;
import io.backprop.runner.plugin.PreprocessorProvider;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract of a preprocessor: fit leaves the training inputs alone, apply gives finite inputs of the same shape,
 * and what {@code state} saved makes a new preprocessor, given it by {@code restore} instead of a fit, transform
 * inputs exactly as the fitted one did (as a saved model's inputs are transformed).
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public abstract class PreprocessorContract extends ProviderContract<Preprocessor, PreprocessorProvider> {
    private static final int ROWS = 20;
    private static final int COLS = 3;

    /** Training inputs, {@code rows x cols} row-major; default: columns of different scales and offsets. */
    protected double[] inputs(int rows, int cols, SplittableRandom random) {
        double[] x = new double[rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = (i % cols + 1) * 10 * random.nextGaussian() + 5 * (i % cols);
        return x;
    }

    @Test
    public void fitLeavesTheTrainingInputsAloneAndApplyKeepsThemFinite() {
        for (Map<String, ?> values : parameterSets()) {
            double[] x = inputs(ROWS, COLS, new SplittableRandom(8));
            double[] copy = x.clone();
            Preprocessor p = create(values);
            p.fit(x, ROWS, COLS);
            assertArrayEquals(copy, x, "fit changed the training inputs");
            p.apply(x, ROWS, COLS);
            for (double v : x) assertTrue(Double.isFinite(v), "apply gave " + v);
        }
    }

    @Test
    public void aRestoredStateTransformsAsTheFit() {
        for (Map<String, ?> values : parameterSets()) {
            double[] train = inputs(ROWS, COLS, new SplittableRandom(8));
            Preprocessor fitted = create(values);
            fitted.fit(train, ROWS, COLS);
            Preprocessor restored = create(values);
            restored.restore(fitted.state());
            double[] other = inputs(5, COLS, new SplittableRandom(9));
            double[] byFit = other.clone();
            fitted.apply(byFit, 5, COLS);
            restored.apply(other, 5, COLS);
            assertArrayEquals(byFit, other, "restored from state(), it transforms otherwise than as fitted");
            assertEquals(fitted.state().keySet(), restored.state().keySet());
        }
    }
}
