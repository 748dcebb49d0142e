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
    void editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        assertEquals(0, Suggestions.editDistance("tanh", "TANH"));
        assertEquals(1, Suggestions.editDistance("sigmod", "sigmoid"));
        assertEquals(3, Suggestions.editDistance("kitten", "sitting"));
        assertEquals(1, Suggestions.editDistance("tahn", "tanh"));
        assertEquals(2, Suggestions.editDistance("ab", "ba") + Suggestions.editDistance("a", "b"));
    }

    @Test
    void swappedLettersSeparatorsAndLeadingPartsAreNearMisses() {
        var activations = List.of("elu", "identity", "leaky-relu", "relu", "sigmoid", "softmax", "softplus", "tanh");
        assertEquals(List.of("tanh"), Suggestions.closest("tahn", activations));
        assertEquals(List.of("leaky-relu"), Suggestions.closest("leaky_relu", activations));
        assertEquals(List.of("leaky-relu"), Suggestions.closest("Leaky", activations));
        assertEquals(List.of("batch_size"), Suggestions.closest("batch-size", List.of("batch_size", "l2")));
        assertEquals(
                List.of("xavier-normal", "xavier-uniform"),
                Suggestions.closest("xavier", List.of("he-normal", "normal", "xavier-normal", "xavier-uniform")));
    }

    @Test
    void qualifiedNamesAreMatchedPartByPart() {
        var costs = List.of("builtin/cross-entropy", "builtin/quadratic", "example/huber", "example/quadratic");
        assertEquals(List.of("example/huber"), Suggestions.closest("exmple/hubr", costs));
        assertEquals(List.of("builtin/quadratic"), Suggestions.closest("builtin/quadratik", costs));
        assertEquals(
                List.of("example/huber"),
                Suggestions.closest("nope/huber", costs),
                "an id not there: any plugin's huber");
        assertEquals(List.of("builtin/quadratic", "example/quadratic"), Suggestions.closest("nope/quadratic", costs));
        assertEquals(List.of(), Suggestions.closest("nope/softmax", costs));
    }

    @Test
    void messagesListTheKnownSorted() {
        assertEquals(
                "unknown cost 'quadratik'; did you mean 'quadratic'? (available: cross-entropy, quadratic)",
                Suggestions.unknown("cost", "quadratik", List.of("quadratic", "cross-entropy"), "available"));
        assertEquals("unknown cost 'x' (available: none)", Suggestions.unknown("cost", "x", List.of(), "available"));
    }
}
