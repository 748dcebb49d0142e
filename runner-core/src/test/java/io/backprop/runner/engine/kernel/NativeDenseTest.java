package io.backprop.runner.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which kernels run and the line that says so, on a loader that stands in for the library, and on this machine's. */
class NativeDenseTest {
    /** A library of the given copies, of which the processor runs those in {@code runnable}. */
    private static final class FakeLoader implements NativeDense.Loader {
        final Set<String> resources;
        final List<String> copies;
        final Set<String> runnable;
        final List<String> loaded = new ArrayList<>();
        Throwable failure;
        String inUse;

        FakeLoader(Set<String> resources, List<String> copies, Set<String> runnable) {
            this.resources = resources;
            this.copies = copies;
            this.runnable = runnable;
            inUse = copies.stream().filter(runnable::contains).findFirst().orElse(null);
        }

        @Override
        public boolean has(String resource) {
            return resources.contains(resource);
        }

        @Override
        public void load(String resource) throws IOException {
            loaded.add(resource);
            if (failure instanceof IOException e) throw e;
            if (failure instanceof UnsatisfiedLinkError e) throw e;
        }

        @Override
        public List<String> copies() {
            return copies;
        }

        @Override
        public boolean use(String copy) {
            if (!runnable.contains(copy)) return false;
            inUse = copy;
            return true;
        }

        @Override
        public String copy() {
            return inUse;
        }
    }

    private static final Set<String> BOTH =
            Set.of("native/linux-x86_64/libbackprop-kernels.so", "native/linux-aarch64/libbackprop-kernels.so");
    private static final List<String> X86 = List.of("avx512", "avx2", "portable");

    @Test
    void platformsAreNamedAsTheResourcesAre() {
        assertEquals("linux-x86_64", NativeDense.platform("Linux", "amd64"));
        assertEquals("linux-x86_64", NativeDense.platform("Linux", "x86_64"));
        assertEquals("linux-aarch64", NativeDense.platform("Linux", "aarch64"));
        assertEquals("macos-aarch64", NativeDense.platform("Mac OS X", "aarch64"));
        assertEquals("macos-x86_64", NativeDense.platform("Mac OS X", "x86_64"));
        assertEquals("windows-x86_64", NativeDense.platform("Windows 11", "amd64"));
        assertEquals("freebsd-x86_64", NativeDense.platform("FreeBSD", "amd64"));
        assertEquals("linux-riscv64", NativeDense.platform("Linux", "riscv64"));
        assertEquals("native/linux-aarch64/libbackprop-kernels.so", NativeDense.resource("linux-aarch64"));
    }

    @Test
    void theWidestCopyTheProcessorRunsIsUsedAndNamed() {
        var loader = new FakeLoader(BOTH, X86, Set.of("avx2", "portable"));
        var status = NativeDense.load(null, "linux-x86_64", loader);
        assertTrue(status.loaded());
        assertEquals("native avx2 (libbackprop-kernels, linux-x86_64)", status.line());
        assertEquals(List.of("native/linux-x86_64/libbackprop-kernels.so"), loader.loaded);
        assertEquals(
                "native avx512 (libbackprop-kernels, linux-x86_64)",
                NativeDense.load("native", "linux-x86_64", new FakeLoader(BOTH, X86, Set.copyOf(X86)))
                        .line());
    }

    @Test
    void eachArchitectureLoadsItsOwnLibrary() {
        var loader = new FakeLoader(BOTH, List.of("portable"), Set.of("portable"));
        assertEquals(
                "native portable (libbackprop-kernels, linux-aarch64)",
                NativeDense.load(null, "linux-aarch64", loader).line());
        assertEquals(List.of("native/linux-aarch64/libbackprop-kernels.so"), loader.loaded);
    }

    @Test
    void withoutALibraryForThePlatformTheJavaKernelsRunAndTheLineSaysWhy() {
        var loader = new FakeLoader(BOTH, X86, Set.copyOf(X86));
        var status = NativeDense.load(null, "macos-aarch64", loader);
        assertFalse(status.loaded());
        assertEquals("Java (no native library for macos-aarch64)", status.line());
        assertTrue(loader.loaded.isEmpty());
        assertEquals(
                "Java (no native library for linux-aarch64 in this build; a build on linux-aarch64 with gcc or clang makes it)",
                NativeDense.load(null, "linux-aarch64", new FakeLoader(Set.of(), X86, Set.copyOf(X86)))
                        .line());
    }

    @Test
    void aLibraryThatFailsToLoadIsNamedWithTheReason() {
        var loader = new FakeLoader(BOTH, X86, Set.copyOf(X86));
        loader.failure = new UnsatisfiedLinkError("/tmp/libbackprop-kernels123.so: cannot open shared object file");
        assertEquals(
                "Java (the native library for linux-x86_64 failed to load: /tmp/libbackprop-kernels123.so: cannot open shared object file)",
                NativeDense.load(null, "linux-x86_64", loader).line());
        loader.failure = new IOException("No space left on device");
        assertEquals(
                "Java (the native library for linux-x86_64 failed to load: No space left on device)",
                NativeDense.load(null, "linux-x86_64", loader).line());
    }

    @Test
    void aProcessorThatRunsNoCopyKeepsToJava() {
        var status = NativeDense.load(null, "linux-x86_64", new FakeLoader(BOTH, X86, Set.of()));
        assertFalse(status.loaded());
        assertEquals(
                "Java (this processor lacks the instructions of every copy of the native library (avx512, avx2, portable))",
                status.line());
    }

    @Test
    void thePropertyDisablesTheNativeKernelsOrPicksACopy() {
        var loader = new FakeLoader(BOTH, X86, Set.of("avx2", "portable"));
        assertEquals(
                "Java (native kernels disabled by -Dbackprop.kernels=java)",
                NativeDense.load("java", "linux-x86_64", loader).line());
        assertFalse(NativeDense.load("java", "linux-x86_64", loader).refused());
        assertTrue(loader.loaded.isEmpty(), "disabled: nothing loaded");
        assertEquals(
                "native portable (libbackprop-kernels, linux-x86_64)",
                NativeDense.load("portable", "linux-x86_64", loader).line());
        var lacking = NativeDense.load("avx512", "linux-x86_64", loader);
        assertEquals(
                "Java (-Dbackprop.kernels=avx512: this processor lacks the instructions of that copy; native picks the"
                        + " widest it runs)",
                lacking.line());
        assertTrue(lacking.refused(), "a command reports it as bad input");
        var unknown = NativeDense.load("sse9", "linux-x86_64", loader);
        assertEquals(
                "Java (-Dbackprop.kernels=sse9 names no kernels; java, native, or a copy of the native library for linux-x86_64:"
                        + " avx512, avx2, portable)",
                unknown.line());
        assertTrue(unknown.refused(), "a command reports it as bad input");
        var none = NativeDense.load("avx2", "macos-aarch64", loader);
        assertEquals(
                "Java (-Dbackprop.kernels=avx2 names no kernels here: there is no native library for macos-aarch64 in"
                        + " this build; java or native)",
                none.line());
        assertTrue(none.refused());
        assertFalse(NativeDense.load("native", "macos-aarch64", loader).refused(), "native: Java where none is");
    }

    /**
     * On this machine, every copy: the float product reads its float operands at their offsets, b transposed, and
     * gives the bits of a float sum over p ascending, fused as {@code fused} says (every copy but x86-64's
     * portable), widened to double before bias and addend; and the rows and columns outside the part stay as they were.
     */
    @Test
    void theFloatProductWidensFloatSumsFusedWhereTheCopySays() {
        if (!NativeDense.available()) return;
        boolean x86 = NativeDense.platform(System.getProperty("os.name"), System.getProperty("os.arch"))
                .equals("linux-x86_64");
        int m = 5, k = 37, n = 19, aOffset = 3, bOffset = 2;
        Random random = new Random(7);
        float[] a = new float[aOffset + m * k];
        float[] b = new float[bOffset + k * n]; // stored n x k: read transposed
        for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian() * (i % 5 == 0 ? 0 : 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) random.nextGaussian() * 1e3f;
        double[] bias = random.doubles(n).toArray();
        double[] addend = random.doubles(m * n).toArray();
        double alpha = -0.3;
        String widest = NativeDense.availableCopies().get(0);
        try {
            for (String copy : NativeDense.availableCopies()) {
                if (!NativeDense.useCopy(copy)) continue;
                boolean fused = !(x86 && copy.equals("portable"));
                assertEquals(fused, NativeDense.fused(), copy);
                double[] c = new double[m * n];
                Arrays.fill(c, 42.0);
                assertTrue(NativeDense.productFloat(
                        a, aOffset, k, 1, b, bOffset, 1, k, c, k, n, 1, m, 2, n, bias, addend, alpha, null, null, null,
                        0));
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double expected = 42.0;
                        if (i >= 1 && j >= 2) {
                            float s = 0;
                            for (int p = 0; p < k; p++) {
                                float e = a[aOffset + i * k + p], f = b[bOffset + j * k + p];
                                s = fused ? Math.fma(e, f, s) : s + e * f;
                            }
                            expected = ((double) s + bias[j]) + alpha * addend[i * n + j];
                        }
                        assertEquals(
                                Double.doubleToRawLongBits(expected),
                                Double.doubleToRawLongBits(c[i * n + j]),
                                copy + ": c[" + i + "][" + j + "] = " + c[i * n + j] + ", expected " + expected);
                    }
                }
            }
        } finally {
            NativeDense.useCopy(widest);
        }
    }

    /** On this machine: where the build made the library, the widest copy its processor runs is the one in use. */
    @Test
    void thisMachineRunsTheWidestCopyItsProcessorHas() throws IOException {
        String platform = NativeDense.platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        if (!NativeDense.available()) {
            assertTrue(NativeDense.status().startsWith("Java ("), NativeDense.status());
            return;
        }
        String expected = "portable";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (platform.equals("linux-x86_64") && Files.isReadable(cpuinfo)) {
            String flags = " "
                    + Files.readAllLines(cpuinfo).stream()
                            .filter(l -> l.startsWith("flags"))
                            .findFirst()
                            .orElse("")
                            .replaceFirst("^flags\\s*:", "")
                    + " ";
            if (List.of("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl", "avx2", "fma", "bmi2").stream()
                    .allMatch(f -> flags.contains(" " + f + " "))) {
                expected = "avx512";
            } else if (List.of("avx2", "fma", "bmi2").stream().allMatch(f -> flags.contains(" " + f + " "))) {
                expected = "avx2";
            }
        }
        assertEquals("native " + expected + " (libbackprop-kernels, " + platform + ")", NativeDense.status());
        assertEquals(
                platform.equals("linux-x86_64") ? List.of("avx512", "avx2", "portable") : List.of("portable"),
                NativeDense.availableCopies());
    }
}
