package io.backprop.runner.engine;

import io.backprop.runner.plugin.Activation;
import io.backprop.runner.plugin.Cost;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Derivatives against central differences {@code (f(x + h) - f(x - h)) / 2h}, h = 1e-6, in doubles. A pair agrees
 * when the relative error {@code |g - n| / (|g| + |n|)} is below 1e-6, or the absolute error below 1e-8 (where
 * both are all but zero and the relative error means nothing).
 */
public final class GradientCheck {
    public static final double H = 1e-6;
    public static final double MAX_RELATIVE_ERROR = 1e-6;
    public static final double ABSOLUTE_FLOOR = 1e-8;

    /**
     * What a check found. The figure reported is the worst pair's: the failure, when there is one, is that pair, so
     * its error and the maximum are one number.
     *
     * @param worstRelativeError the largest relative error among pairs whose difference is at or above the absolute
     *                           floor (below it the relative error means nothing); 0 when there are none
     * @param maxDifference      the largest absolute difference among all pairs
     * @param failure            the worst pair that disagreed, in words; null when all agreed
     * @param checked            how many derivatives were compared
     */
    public record Result(double worstRelativeError, double maxDifference, String failure, int checked) {
        public boolean passed() {
            return failure == null;
        }
    }

    /** What one thread of a network check works on alone: a replica of the network and a cost of its own. */
    public record Replica(Network network, Cost cost) {}

    /** Parameters per unit of work handed to a thread; small enough to balance, large enough to cost nothing. */
    private static final int CHUNK = 256;

    private double worst;
    private double maxDifference;
    private String failure;
    private int checked;

    private GradientCheck() {}

    public static boolean agree(double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        return diff < ABSOLUTE_FLOOR || diff / (Math.abs(analytic) + Math.abs(numeric)) < MAX_RELATIVE_ERROR;
    }

    public static double relativeError(double analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        return diff == 0 ? 0 : diff / (Math.abs(analytic) + Math.abs(numeric));
    }

    /** The central difference of {@code f} in {@code x[i]}; {@code x[i]} is restored. */
    public static double centralDifference(double[] x, int i, DoubleSupplier f) {
        double saved = x[i];
        x[i] = saved + H;
        double plus = f.getAsDouble();
        x[i] = saved - H;
        double minus = f.getAsDouble();
        x[i] = saved;
        return (plus - minus) / (2 * H);
    }

    private void compare(double analytic, double numeric, Supplier<String> what) {
        checked++;
        double diff = Math.abs(analytic - numeric);
        maxDifference = Math.max(maxDifference, diff);
        if (diff < ABSOLUTE_FLOOR) return;
        double relative = relativeError(analytic, numeric);
        if (relative <= worst) return;
        worst = relative;
        if (relative >= MAX_RELATIVE_ERROR) {
            failure = what.get() + " = " + analytic + ", central difference " + numeric + " (relative error " + relative
                    + ")";
        }
    }

    private Result result() {
        return new Result(worst, maxDifference, failure, checked);
    }

    /**
     * Every parameter slot's gradient of {@link Network#gradient} against central differences of
     * {@link Network#objective} on one batch. The network's weights are left as they were.
     */
    public static Result network(Network network, Cost cost, double[] x, double[] y, int rows, double l2) {
        var check = new GradientCheck();
        for (Result[] layer : byLayer(network, cost, x, y, rows, l2)) {
            for (Result r : layer) {
                check.checked += r.checked();
                check.maxDifference = Math.max(check.maxDifference, r.maxDifference());
                if (r.worstRelativeError() > check.worst) {
                    check.worst = r.worstRelativeError();
                    check.failure = r.failure();
                }
            }
        }
        return check.result();
    }

    /** As {@link #network}, one result per layer and parameter slot ([l][s], {@link Network#slots}), on this thread. */
    public static Result[][] byLayer(Network network, Cost cost, double[] x, double[] y, int rows, double l2) {
        return byLayer(network, cost, x, y, rows, l2, 1, null, done -> {});
    }

    /**
     * As {@link #byLayer(Network, Cost, double[], double[], int, double)} on {@code threads} threads: the caller's works
     * on {@code network} itself, each other one on a {@code replicas} of its own. Each central difference is computed
     * alone, so the results are the same whatever the number of threads. {@code progress} hears how many parameters
     * are done, from any of the threads.
     */
    public static Result[][] byLayer(
            Network network,
            Cost cost,
            double[] x,
            double[] y,
            int rows,
            double l2,
            int threads,
            Supplier<Replica> replicas,
            LongConsumer progress) {
        network.gradient(cost, x, y, rows, l2);
        int layers = network.layers();
        double[][][] analytic = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            analytic[l] = network.slots(l).stream()
                    .map(slot -> slot.gradient().clone())
                    .toArray(double[][]::new);
        }
        double[][][] numeric = centralDifferences(network, cost, x, y, rows, l2, threads, replicas, progress);
        Result[][] results = new Result[layers][];
        for (int l = 0; l < layers; l++) {
            List<Slot> slots = network.slots(l);
            results[l] = new Result[slots.size()];
            for (int k = 0; k < slots.size(); k++) {
                var check = new GradientCheck();
                for (int i = 0; i < numeric[l][k].length; i++) {
                    int layer = l, index = i;
                    Slot slot = slots.get(k);
                    check.compare(
                            analytic[l][k][i],
                            numeric[l][k][i],
                            () -> "dC/d" + symbol(slot) + " of layer " + layer + " "
                                    + (slot.inputRows()
                                            ? "[input " + index / slot.cols() + ", unit " + index % slot.cols() + "]"
                                            : slot.rows() == 1
                                                    ? "[unit " + index + "]"
                                                    : "[" + index / slot.cols() + ", " + index % slot.cols() + "]"));
                }
                results[l][k] = check.result();
            }
        }
        return results;
    }

    /** W and b as the equations write them; a slot of another name by its name. */
    private static String symbol(Slot slot) {
        return switch (slot.name()) {
            case "weights" -> "W";
            case "biases" -> "b";
            default -> slot.name();
        };
    }

    /** The central differences of the objective in every parameter of every slot ([l][s]), as {@link #byLayer} takes them. */
    static double[][][] centralDifferences(
            Network network,
            Cost cost,
            double[] x,
            double[] y,
            int rows,
            double l2,
            int threads,
            Supplier<Replica> replicas,
            LongConsumer progress) {
        int layers = network.layers();
        double[][][] numeric = new double[layers][][];
        List<int[]> chunks = new ArrayList<>(); // {layer, slot, from, to}
        for (int l = 0; l < layers; l++) {
            List<Slot> slots = network.slots(l);
            numeric[l] = new double[slots.size()][];
            for (int k = 0; k < slots.size(); k++) {
                int n = slots.get(k).values().length;
                numeric[l][k] = new double[n];
                for (int from = 0; from < n; from += CHUNK)
                    chunks.add(new int[] {l, k, from, Math.min(n, from + CHUNK)});
            }
        }
        var next = new AtomicInteger();
        var done = new AtomicLong();
        List<Callable<Void>> parts = new ArrayList<>();
        for (int t = 0; t < Math.max(1, threads); t++) {
            Replica replica = t == 0 ? new Replica(network, cost) : replicas.get();
            parts.add(() -> {
                var differences = new Differences(replica, x, y, rows, l2);
                for (int c; (c = next.getAndIncrement()) < chunks.size(); ) {
                    int[] chunk = chunks.get(c);
                    for (int i = chunk[2]; i < chunk[3]; i++)
                        numeric[chunk[0]][chunk[1]][i] = differences.of(chunk[0], chunk[1], i);
                    progress.accept(done.addAndGet(chunk[3] - chunk[2]));
                }
                return null;
            });
        }
        runAll(parts);
        return numeric;
    }

    /** Runs the parts, the first on this thread, and rethrows the first failure. */
    private static void runAll(List<Callable<Void>> parts) {
        if (parts.size() == 1) {
            call(parts.get(0));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(parts.size() - 1, r -> {
            Thread t = new Thread(r, "gradcheck");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> others = new ArrayList<>();
            for (var part : parts.subList(1, parts.size())) others.add(pool.submit(part));
            call(parts.get(0));
            for (Future<Void> f : others) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    if (e.getCause() instanceof Error r) throw r;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void call(Callable<Void> part) {
        try {
            part.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Central differences of {@code C + l2/2 * sum(W^2)} ({@link Network#objective}) on one replica, with two savings
     * that leave every value as a full evaluation would give it. The sum of squares is taken once and moved by the one
     * weight perturbed (summed anew, it was half the cost of a large layer's check). And a weight (of a slot whose rows are
     * inputs) whose input is 0 in
     * every row of the batch (MNIST's blank pixels, a dead ReLU) cannot move the outputs, so only its L2 term is
     * evaluated: the loss is the unperturbed one.
     */
    private static final class Differences {
        private final Network network;
        private final Cost cost;
        private final double[] x;
        private final double[] y;
        private final int rows;
        private final double l2;
        private final double squares;
        private final double loss;
        /** Per layer, whether each of its inputs is non-zero in some row. */
        private final boolean[][] inputUsed;

        Differences(Replica replica, double[] x, double[] y, int rows, double l2) {
            this.network = replica.network();
            this.cost = replica.cost();
            this.x = x;
            this.y = y;
            this.rows = rows;
            this.l2 = l2;
            this.squares = network.weightSquares();
            this.loss = cost.loss(network.forward(x, rows), y, rows, network.outputs());
            inputUsed = new boolean[network.layers()][];
            for (int l = 0; l < network.layers(); l++) {
                double[] in = l == 0 ? x : network.activationsOf(l - 1);
                int width = network.fanIn(l);
                inputUsed[l] = new boolean[width];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < width; j++) inputUsed[l][j] |= in[r * width + j] != 0;
                }
            }
        }

        double of(int layer, int k, int i) {
            Slot slot = network.slots(layer).get(k);
            double[] p = slot.values();
            boolean movesOutputs = !slot.inputRows() || inputUsed[layer][i / slot.cols()];
            boolean regularized = slot.regularized();
            double saved = p[i];
            p[i] = saved + H;
            double plus = objective(movesOutputs, regularized ? p[i] * p[i] - saved * saved : 0);
            p[i] = saved - H;
            double minus = objective(movesOutputs, regularized ? p[i] * p[i] - saved * saved : 0);
            p[i] = saved;
            return (plus - minus) / (2 * H);
        }

        private double objective(boolean movesOutputs, double squaresMoved) {
            double c = movesOutputs ? cost.loss(network.forward(x, rows), y, rows, network.outputs()) : loss;
            return c + l2 / 2 * (squares + squaresMoved);
        }
    }

    /**
     * {@code backward} as a vector-Jacobian product: for a random upstream {@code da}, {@code dz[i]} must be the
     * derivative of {@code sum_j da[j] * a[j](z)} in {@code z[i]}. Inputs come from [-2, 2], kept at least 0.1
     * from 0, where kinks (ReLU) sit.
     */
    public static Result activation(Activation activation, int rows, int cols, long seed) {
        var check = new GradientCheck();
        var random = new SplittableRandom(seed);
        int n = rows * cols;
        double[] z = new double[n];
        double[] da = new double[n];
        for (int i = 0; i < n; i++) {
            double v = 0.1 + 1.9 * random.nextDouble();
            z[i] = random.nextBoolean() ? v : -v;
            da[i] = random.nextDouble() * 2 - 1;
        }
        double[] a = new double[n];
        double[] dz = new double[n];
        activation.forward(z, a, rows, cols);
        activation.backward(z, a, da, dz, rows, cols);
        double[] work = new double[n];
        for (int i = 0; i < n; i++) {
            double numeric = centralDifference(z, i, () -> {
                activation.forward(z, work, rows, cols);
                double s = 0;
                for (int j = 0; j < n; j++) s += da[j] * work[j];
                return s;
            });
            int index = i;
            check.compare(dz[i], numeric, () -> "dz[" + index + "] at z = " + z[index]);
        }
        return check.result();
    }

    /** {@code gradient} against central differences of {@code loss} at outputs {@code a} and targets {@code y}. */
    public static Result cost(Cost cost, double[] a, double[] y, int rows, int cols) {
        var check = new GradientCheck();
        double[] da = new double[rows * cols];
        cost.gradient(a, y, da, rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            double numeric = centralDifference(a, i, () -> cost.loss(a, y, rows, cols));
            int index = i;
            check.compare(da[i], numeric, () -> "dC/da[" + index + "] at a = " + a[index] + ", y = " + y[index]);
        }
        return check.result();
    }
}
