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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Java kernels of {@link Dense} on one thread at the work items' layer shapes (as {@link ProductsBenchmark}), on
 * double operands and on float ones, fused and unfused: each product as {@link Products} runs it on the Java kernels
 * (the forward product summed in two halves of the inputs, the weight gradient with its L2 term). Run from the
 * project root: {@code java -jar benchmarks/target/benchmarks.jar FloatKernelBenchmark}, or {@link FloatKernelRatio}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloatKernelBenchmark {
    /** {@code item:layer}: W2 layers 0 and 1, W3 layers 0, 1 and 2. */
    @Param({"w2:0", "w2:1", "w3:0", "w3:1", "w3:2"})
    public String layer;

    /**
     * {@code double} (unfused), or float operands with each multiply-add {@code fused} or {@code unfused}. Named after {@code
     * layer}: JMH runs the parameters' combinations in the order of their names, so the three of a layer run one
     * after the other.
     */
    @Param({"double", "fused", "unfused"})
    public String variant;

    private boolean useFloat;
    private boolean fused;
    private int rows;
    private int fanIn;
    private int units;
    private int half;
    private double[] x;
    private double[] w;
    private double[] delta;
    private float[] xf;
    private float[] wf;
    private float[] deltaf;
    private double[] bias;
    private double[] z;
    private double[] upper;
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
        half = Products.half(fanIn);
        x = l == 0 ? LayerData.mnist(rows) : LayerData.random(rows * fanIn, 0.5, 1);
        w = LayerData.random(fanIn * units, 0, 2);
        bias = LayerData.random(units, 0, 3);
        delta = LayerData.random(rows * units, l == widths.length - 2 ? 0 : 0.5, 4);
        xf = toFloat(x);
        wf = toFloat(w);
        deltaf = toFloat(delta);
        z = new double[rows * units];
        upper = new double[rows * units];
        gw = new double[fanIn * units];
        dx = new double[rows * fanIn];
        switch (variant) {
            case "double" -> useFloat = false;
            case "fused", "unfused" -> {
                useFloat = true;
                fused = variant.equals("fused");
            }
            default -> throw new IllegalArgumentException("variant: double, fused or unfused, not " + variant);
        }
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    @Benchmark
    public double[] forward() {
        if (useFloat) {
            Dense.multRows(xf, wf, z, fanIn, units, 0, rows, 0, half, fused);
            Dense.multRows(xf, wf, upper, fanIn, units, 0, rows, half, fanIn, fused);
        } else {
            Dense.multRows(x, w, z, fanIn, units, 0, rows, 0, half, false);
            Dense.multRows(x, w, upper, fanIn, units, 0, rows, half, fanIn, false);
        }
        for (int i = 0; i < rows; i++) {
            int o = i * units;
            for (int j = 0; j < units; j++) z[o + j] = (z[o + j] + upper[o + j]) + bias[j];
        }
        return z;
    }

    @Benchmark
    public double[] weightGradient() {
        if (useFloat) {
            Dense.multTransARows(xf, deltaf, gw, fanIn, rows, units, 0, fanIn, 1e-4, w, fused);
        } else {
            Dense.multTransARows(x, delta, gw, fanIn, rows, units, 0, fanIn, 1e-4, w, false);
        }
        return gw;
    }

    @Benchmark
    public double[] inputGradient() {
        if (useFloat) {
            Dense.multTransBRows(deltaf, wf, dx, units, fanIn, 0, rows, fused);
        } else {
            Dense.multTransBRows(delta, w, dx, units, fanIn, 0, rows, false);
        }
        return dx;
    }
}
