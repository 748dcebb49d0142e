package io.backprop.runner.engine.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The native kernels of {@code src/main/c}, built into the jar for Linux on x86-64 and aarch64 (one library per
 * platform, under {@code native/linux-x86_64} and {@code native/linux-aarch64}), each with several copies of the
 * product: {@code avx512} and {@code avx2} on x86-64, and {@code portable} everywhere. They compute exactly the sums
 * of {@link Dense} (each over p ascending, each term fused where the copy has FMA, as {@link #fused} says and Dense
 * then does too), so a run has the same bits with or without them.
 * The widest copy the processor runs is used; {@code -Dbackprop.kernels=java} keeps to {@link Dense}, and
 * {@code -Dbackprop.kernels=avx2} (or another copy's name) picks a copy. Where they cannot be loaded, {@link Products}
 * uses {@link Dense}, and {@link #status()} says why.
 */
final class NativeDense {
    static final String LIBRARY = "libbackprop-kernels";
    static final String PROPERTY = "backprop.kernels";
    /** The platforms a build makes the library for, each on its own kind of machine. */
    static final List<String> PLATFORMS = List.of("linux-x86_64", "linux-aarch64");

    private static final Status STATUS = load(
            System.getProperty(PROPERTY),
            platform(System.getProperty("os.name"), System.getProperty("os.arch")),
            new SystemLoader());

    private NativeDense() {}

    /**
     * What runs the products: the native kernels and their copy, or the Java kernels and why; {@code refused} where
     * the reason is a {@code -Dbackprop.kernels} that names nothing this machine runs, which a command then reports as
     * bad input rather than run on kernels the user did not ask for.
     */
    record Status(boolean loaded, String copy, String platform, String whyNot, boolean refused) {
        static Status java(String whyNot) {
            return new Status(false, null, null, whyNot, false);
        }

        static Status refused(String why) {
            return new Status(false, null, null, why, true);
        }

        /** {@code native avx512 (libbackprop-kernels, linux-x86_64)}, or {@code Java (no native library for macos-aarch64)}. */
        String line() {
            return loaded ? "native " + copy + " (" + LIBRARY + ", " + platform + ")" : "Java (" + whyNot + ")";
        }
    }

    /** Loads the library from a resource; the calls to it, apart, so that the selection is tested without one. */
    interface Loader {
        /** Whether the jar holds {@code resource}. */
        boolean has(String resource);

        /** Loads the library at {@code resource}. */
        void load(String resource) throws IOException;

        /** The library's copies, widest first. */
        List<String> copies();

        /** Switches to {@code copy}; false where this processor cannot run it. */
        boolean use(String copy);

        /** The copy in use: the widest this processor runs; null if it runs none. */
        String copy();
    }

    /** Whether the native kernels are loaded. */
    static boolean available() {
        return STATUS.loaded();
    }

    /** {@code native avx512 (libbackprop-kernels, linux-x86_64)}: the copy in use; or {@code Java (why not native)}. */
    static String status() {
        return available() ? new Status(true, copy(), STATUS.platform(), null, false).line() : STATUS.line();
    }

    /** Why {@code -Dbackprop.kernels} cannot be followed here, or null where it is followed. */
    static String refusal() {
        return STATUS.refused() ? STATUS.whyNot() : null;
    }

    /** The copies of the product in the loaded library, widest first; none without it. */
    static List<String> availableCopies() {
        return available() ? new SystemLoader().copies() : List.of();
    }

    /** {@code linux-x86_64}, {@code linux-aarch64}, {@code macos-aarch64}, {@code windows-x86_64}: as the resources are named. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        os = os.startsWith("mac") || os.startsWith("darwin")
                ? "macos"
                : os.startsWith("windows") ? "windows" : os.replaceAll("[^a-z0-9]+", "");
        String arch = osArch.toLowerCase(Locale.ROOT);
        arch = switch (arch) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return os + "-" + arch;
    }

    /** Where the jar holds the library for {@code platform}. */
    static String resource(String platform) {
        return "native/" + platform + "/" + LIBRARY + ".so";
    }

    /**
     * The native kernels where {@code loader} has them for {@code platform} and {@code choice} (the value of
     * {@code -Dbackprop.kernels}: null or {@code native} for the widest copy, {@code java}, or a copy's name) allows;
     * else the Java kernels, and why. A choice of a copy the library lacks, or this processor cannot run, or of any
     * copy where there is no library, is refused.
     */
    static Status load(String choice, String platform, Loader loader) {
        if ("java".equals(choice)) return Status.java("native kernels disabled by -D" + PROPERTY + "=java");
        boolean namesCopy = choice != null && !choice.equals("native");
        String resource = resource(platform);
        if (!loader.has(resource)) {
            if (namesCopy) {
                return Status.refused("-D" + PROPERTY + "=" + choice + " names no kernels here: there is no native"
                        + " library for " + platform + " in this build; java or native");
            }
            return Status.java(
                    PLATFORMS.contains(platform)
                            ? "no native library for " + platform + " in this build; a build on " + platform
                                    + " with gcc or clang makes it"
                            : "no native library for " + platform);
        }
        try {
            loader.load(resource);
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return Status.java("the native library for " + platform + " failed to load: " + e.getMessage());
        }
        if (namesCopy) {
            if (!loader.copies().contains(choice)) {
                return Status.refused(
                        "-D" + PROPERTY + "=" + choice + " names no kernels; java, native, or a copy of the native"
                                + " library for " + platform + ": " + String.join(", ", loader.copies()));
            }
            if (!loader.use(choice)) {
                return Status.refused("-D" + PROPERTY + "=" + choice
                        + ": this processor lacks the instructions of that copy; native picks the widest it runs");
            }
        }
        String copy = loader.copy();
        if (copy == null) {
            return Status.java("this processor lacks the instructions of every copy of the native library ("
                    + String.join(", ", loader.copies()) + ")");
        }
        return new Status(true, copy, platform, null, false);
    }

    /** The library in this jar, copied to a temporary file to be loaded. */
    private static final class SystemLoader implements Loader {
        @Override
        public boolean has(String resource) {
            return NativeDense.class.getResource(resource) != null;
        }

        @Override
        public void load(String resource) throws IOException {
            try (InputStream in = NativeDense.class.getResourceAsStream(resource)) {
                if (in == null) throw new IOException(resource + " is not in this build");
                Path file = Files.createTempFile(LIBRARY, ".so");
                try {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    System.load(file.toString());
                } finally {
                    Files.deleteIfExists(file); // the loaded library stays mapped
                }
            }
        }

        @Override
        public List<String> copies() {
            return Arrays.asList(NativeDense.copies().split(" "));
        }

        @Override
        public boolean use(String copy) {
            return useCopy(copy);
        }

        @Override
        public String copy() {
            return NativeDense.copy();
        }
    }

    /** The copies of the product in the library, widest first, separated by spaces. */
    private static native String copies();

    /** The copy in use; null if this processor runs none. */
    private static native String copy();

    /**
     * Switches to the copy of the kernels named {@code copy} ({@code avx512}, {@code avx2} or {@code portable}); false
     * if the library has no such copy or this processor cannot run it. The widest it runs is in use from the start;
     * tests and benchmarks switch to check and measure the others.
     */
    static native boolean useCopy(String copy);

    /**
     * Rows {@code [i0, i1)} and columns {@code [j0, j1)} of {@code c = a b} (+ {@code bias} on every row)
     * (+ {@code alpha * addend}), where {@code a(i, p) = a[aOffset + i * ar + p * ac]}, {@code b(p, j) = b[bOffset +
     * p * brs + j * bcs]} for p in {@code [0, k)}, and {@code c} has {@code n} columns: either operand read as stored
     * or transposed, from any offset. With {@code step} (else null, and {@code step32} and {@code squares} too): the
     * plain step of {@link PlainStep} applied to each result instead of writing it, {@code step -= rate * result},
     * its float copy into {@code step32} where given, and each result's square added into {@code squares}, eight per
     * row (see {@link PlainStep#squares}); a row's columns then all in this call. Shapes are checked by the caller: the
     * native code trusts them. False when out of memory.
     */
    static native boolean product(
            double[] a,
            int aOffset,
            int ar,
            int ac,
            double[] b,
            int bOffset,
            int brs,
            int bcs,
            double[] c,
            int k,
            int n,
            int i0,
            int i1,
            int j0,
            int j1,
            double[] bias,
            double[] addend,
            double alpha,
            double[] step,
            float[] step32,
            double[] squares,
            double rate);

    /**
     * {@link #product} with float operands and float sums, each widened to double as it is written, then
     * {@code + bias[j]} then {@code + alpha * addend} in double: {@code c}, {@code bias} and {@code addend} are
     * double as there, and the step too. Each sum over p ascending from {@code +0.0f}, fused or not as {@link
     * #fused()} says. False when out of memory.
     */
    static native boolean productFloat(
            float[] a,
            int aOffset,
            int ar,
            int ac,
            float[] b,
            int bOffset,
            int brs,
            int bcs,
            double[] c,
            int k,
            int n,
            int i0,
            int i1,
            int j0,
            int j1,
            double[] bias,
            double[] addend,
            double alpha,
            double[] step,
            float[] step32,
            double[] squares,
            double rate);

    /**
     * Whether the copy in use fuses each multiply-add of its sums, double and float ({@code Math.fma}): avx512, avx2,
     * and portable on aarch64; portable on x86-64 does not (SSE2 has no FMA).
     */
    static native boolean fused();

    /**
     * {@code to[i] = (float) from[i]} for i in {@code [offset, offset + n)}, vectorised (Java 17's JIT converts one
     * value at a time); the same bits as the cast. Bounds are checked by the caller. False when the arrays cannot be
     * pinned.
     */
    static native boolean narrow(double[] from, float[] to, int offset, int n);

    /**
     * {@code out[r]} for r in {@code [row0, row1)}: the sum of squares of row r of x ({@code n} values a row), the bits
     * of {@link Dense#sumOfSquares(double[], int, int)}, vectorised. Bounds are checked by the caller. False when the
     * arrays cannot be pinned.
     */
    static native boolean rowSquares(double[] x, int n, int row0, int row1, double[] out);
}
