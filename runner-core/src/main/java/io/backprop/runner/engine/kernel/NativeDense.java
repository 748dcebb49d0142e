package io.backprop.runner.engine.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The native kernels of {@code src/main/c/kernels.c}, built into the jar for Linux on x86-64. They compute exactly the
 * sums of {@link Dense} (each over p ascending, no fused multiply-add), so a run has the same bits with or without
 * them. Where they cannot be loaded, or with {@code -Dbackprop.kernels=java}, {@link Products} uses {@link Dense}.
 */
final class NativeDense {
    static final String RESOURCE = "native/linux-x86_64/libbackprop-kernels.so";
    private static final String STATUS = load();

    private NativeDense() {}

    /** Whether the native kernels are loaded. */
    static boolean available() {
        return STATUS.startsWith("native");
    }

    /** {@code native (x86-64-v4)}: the instruction set of the copy in use; or {@code java (why not native)}. */
    static String status() {
        return available() ? "native (" + isa() + ")" : STATUS;
    }

    private static String load() {
        if ("java".equals(System.getProperty("backprop.kernels"))) return "java (-Dbackprop.kernels=java)";
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "java (no native kernels for " + os + " " + arch + ")";
        }
        try (InputStream in = NativeDense.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return "java (" + RESOURCE + " is not in this build)";
            Path file = Files.createTempFile("backprop-kernels", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
            } finally {
                Files.deleteIfExists(file); // the loaded library stays mapped
            }
            return "native (" + isa() + ")";
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return "java (native kernels failed to load: " + e.getMessage() + ")";
        }
    }

    private static native String isa();

    /**
     * Switches to the copy of the kernels built for instruction set {@code isa} ({@code x86-64-v4}, {@code x86-64-v3}
     * or {@code x86-64}); false if this processor cannot run it. The widest it runs is in use from the start; tests
     * and benchmarks switch to check and measure the others.
     */
    static native boolean useIsa(String isa);

    /**
     * Rows {@code [i0, i1)} and columns {@code [j0, j1)} of {@code c = a b} (+ {@code bias} on every row)
     * (+ {@code alpha * addend}), where {@code a(i, p) = a[aOffset + i * ar + p * ac]}, {@code b(p, j) = b[bOffset +
     * p * brs + j * bcs]} for p in {@code [0, k)}, and {@code c} has {@code n} columns: either operand read as stored
     * or transposed, from any offset. Shapes are checked by the caller: the native code trusts them. False when out
     * of memory.
     */
    static native boolean product(double[] a, int aOffset, int ar, int ac, double[] b, int bOffset, int brs, int bcs, double[] c, int k, int n,
                                  int i0, int i1, int j0, int j1, double[] bias, double[] addend, double alpha);
}
