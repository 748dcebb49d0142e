package io.backprop.runner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluralTest {
    @Test
    void oneTakesTheSingular() {
        assertEquals("1 layer", Plural.of(1, "layer"));
        assertEquals("0 layers", Plural.of(0, "layer"));
        assertEquals("2 training examples", Plural.of(2, "training example"));
        assertEquals("3 classes", Plural.of(3, "class"));
        assertEquals("4 batches", Plural.of(4, "batch"));
    }
}
