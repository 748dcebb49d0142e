package io.backprop.runner.engine.kernel;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The layer products of the work items W2 (784-128-10, batch 32) and W3 (784-512-512-10, batch 128), on the native
 * and the Java kernels, on one thread and two. Run from the project root (it reads MNIST from experiments/data):
 * {@code java -jar benchmarks/target/benchmarks.jar ProductsBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProductsBenchmark {
    /** {@code item:layer}: W2 layers 0 and 1, W3 layers 0, 1 and 2. */
    @Param({"w2:0", "w2:1", "w3:0", "w3:1", "w3:2"})
    public String layer;

    @Param({"native", "java"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    /** The copy of the native kernels to measure (avx512, avx2, portable); empty for the widest this processor runs. */
    @Param({""})
    public String isa;

    private Workers workers;
    private Products products;
    private int rows;
    private int fanIn;
    private int units;
    private double[] x;
    private double[] w;
    private double[] bias;
    private double[] z;
    private double[] delta;
    private double[] gw;
    private double[] dx;

    @Setup(Level.Trial)
    public void setUp() {
        boolean w2 = layer.startsWith("w2");
        int l = layer.charAt(3) - '0';
        int[] widths = w2 ? new int[] {784, 128, 10} : new int[] {784, 512, 512, 10};
        rows = w2 ? 32 : 128;
        fanIn = widths[l];
        units = widths[l + 1];
        x = l == 0 ? LayerData.mnist(rows) : LayerData.random(rows * fanIn, 0.5, 1);
        w = LayerData.random(fanIn * units, 0, 2);
        bias = LayerData.random(units, 0, 3);
        delta = LayerData.random(rows * units, l == widths.length - 2 ? 0 : 0.5, 4);
        z = new double[rows * units];
        gw = new double[fanIn * units];
        dx = new double[rows * fanIn];
        if (!isa.isEmpty() && !NativeDense.useCopy(isa))
            throw new IllegalStateException("this processor cannot run " + isa);
        workers = new Workers(threads);
        products = new Products(workers, kernels.equals("native"), 0, Products.PARALLEL_THRESHOLD);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
    }

    @Benchmark
    public double[] forward() {
        products.forward(x, w, bias, z, rows, fanIn, units);
        return z;
    }

    @Benchmark
    public double[] weightGradient() {
        products.weightGradient(x, delta, w, 1e-4, gw, rows, fanIn, units);
        return gw;
    }

    @Benchmark
    public double[] inputGradient() {
        products.inputGradient(delta, w, dx, rows, fanIn, units);
        return dx;
    }
}
