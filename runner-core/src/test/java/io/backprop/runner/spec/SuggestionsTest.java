package io.backprop.runner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void closestWordsComeFirstAtMostThree() {
        assertEquals(List.of("sigmoid"), Suggestions.closest("sigmod", List.of("relu", "sigmoid", "tanh")));
        assertEquals(List.of("ab", "ac", "ad"), Suggestions.closest("aa", List.of("ad", "ac", "ab", "ae")));
        assertEquals(List.of(), Suggestions.closest("softmax", List.of("relu", "tanh")));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, Suggestions.editDistance("tanh", "TANH"));
        assertEquals(1, Suggestions.editDistance("sigmod", "sigmoid"));
        assertEquals(3, Suggestions.editDistance("kitten", "sitting"));
    }

    @Test
    void messagesListTheKnownSorted() {
        assertEquals("unknown cost 'quadratik'; did you mean 'quadratic'? (available: cross-entropy, quadratic)",
                Suggestions.unknown("cost", "quadratik", List.of("quadratic", "cross-entropy"), "available"));
        assertEquals("unknown cost 'x' (available: none)", Suggestions.unknown("cost", "x", List.of(), "available"));
    }
}
