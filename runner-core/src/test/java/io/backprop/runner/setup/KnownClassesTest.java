package io.backprop.runner.setup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownClassesTest {
    private static final List<String> TRAINED = List.of("a", "b", "c");

    /** What a source that numbers the classes it finds gives for rows labelled c, b, c. */
    private static Dataset ownNumbering() {
        return new Dataset(
                        new double[] {1, 2, 3},
                        new double[] {0, 1, 1, 0, 0, 1},
                        3,
                        1,
                        2,
                        Dataset.Task.CLASSIFICATION,
                        List.of("b", "c"))
                .withNames(List.of("x"), "kind");
    }

    @Test
    void labelsAreEncodedOverTheKnownClassesByName() {
        Dataset mapped = KnownClasses.onto(ownNumbering(), TRAINED, 3, Where.of("test.csv"));
        assertEquals(TRAINED, mapped.classes());
        assertArrayEquals(new double[] {0, 0, 1, 0, 1, 0, 0, 0, 1}, mapped.y());
        assertEquals(List.of(2, 1, 2), List.of(mapped.label(0), mapped.label(1), mapped.label(2)));
        assertArrayEquals(new double[] {1, 2, 3}, mapped.x());
        assertEquals(List.of("x"), mapped.inputNames());
        assertSame(mapped, KnownClasses.onto(mapped, TRAINED, 3, Where.of("test.csv")), "already so: nothing to copy");
    }

    @Test
    void aSingleOutputTakesTheSecondClassAsOne() {
        Dataset mapped = KnownClasses.onto(ownNumbering(), List.of("c", "b"), 1, Where.of("test.csv"));
        assertArrayEquals(new double[] {0, 1, 0}, mapped.y());
    }

    @Test
    void aLabelTheModelNeverSawIsAProblemNamingIt() {
        var e = assertThrows(
                SpecException.class, () -> KnownClasses.onto(ownNumbering(), List.of("a", "b"), 2, Where.of("--data")));
        assertEquals(
                "--data: has label 'c', which is not one of the trained classes (a, b)",
                e.problems().get(0).format());
    }

    @Test
    void regressionIsLeftAsItIs() {
        var values = new Dataset(new double[] {1}, new double[] {0.5}, 1, 1, 1, Dataset.Task.REGRESSION, List.of());
        assertSame(values, KnownClasses.onto(values, TRAINED, 3, Where.of("x")));
    }
}
