package io.backprop.runner.engine;

import java.util.SplittableRandom;

/**
 * The random streams of a run, each derived from the master seed and its own name, so that adding a stream never
 * shifts another. Weight initialisation draws from {@code new SplittableRandom(seed)} itself, which lets an
 * experiment reproduce a start written elsewhere as {@code new SplittableRandom(seed).nextDouble()} calls.
 */
public final class Seeds {
    private Seeds() {}

    public static SplittableRandom initialization(long seed) {
        return new SplittableRandom(seed);
    }

    /** The stream called {@code name}: "shuffle", "split", "data.train", ... */
    public static SplittableRandom stream(long seed, String name) {
        return new SplittableRandom(derive(seed, name));
    }

    public static long derive(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) h = (h ^ name.charAt(i)) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }
}
