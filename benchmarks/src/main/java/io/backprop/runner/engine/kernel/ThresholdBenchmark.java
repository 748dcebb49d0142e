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
 * Where {@link Products#NATIVE_THRESHOLD} and {@link Products#PARALLEL_THRESHOLD} come from: a forward product of a
 * batch of 32 through a square layer of growing width, by each path forced. The Java loop against the native call on
 * one thread gives the first crossover; one native thread against two gives the second.
 * {@code java -jar benchmarks/target/benchmarks.jar ThresholdBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThresholdBenchmark {
    /** Layer width: 32 x width x width multiply-adds, from 32 to 2M. */
    @Param({"1", "2", "4", "8", "12", "16", "24", "32", "48", "64", "96", "128", "256"})
    public int width;

    @Param({"java", "native", "native-2"})
    public String path;

    private Workers workers;
    private Products products;
    private final int rows = 32;
    private double[] x;
    private double[] w;
    private double[] bias;
    private double[] z;

    @Setup(Level.Trial)
    public void setUp() {
        x = LayerData.random(rows * width, 0.5, 1);
        w = LayerData.random(width * width, 0, 2);
        bias = LayerData.random(width, 0, 3);
        z = new double[rows * width];
        workers = new Workers(path.endsWith("-2") ? 2 : 1);
        products = new Products(workers, !path.equals("java"), 0, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workers.close();
    }

    @Benchmark
    public double[] forward() {
        products.forward(x, w, bias, z, rows, width, width);
        return z;
    }
}
