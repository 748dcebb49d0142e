package io.backprop.runner.engine.kernel;

/**
 * The three products of backprop for one dense layer, on the native kernels where they are loaded ({@link
 * NativeDense}) and on {@link Dense} otherwise, split across {@link Workers} when large enough to pay for it. Every
 * element of a result is one sum over p in ascending order, or for the forward product two such sums over the halves
 * of p then added ({@link #forward}), each computed by one thread, each term fused or not as {@link #fused} says (the
 * native copy in use, or the processor, decides; the Java and native kernels then do the same), so the results are the
 * same bits whatever the kernels and the number of threads. One instance per network: it holds the operands of the call in
 * progress and the scratch of the narrow products and of the forward halves, so that a call allocates nothing.
 */
public final class Products implements Workers.Task {
    /*
     * The thresholds come from measurements on this kind of machine (2 cores, 2026-11-25). ThresholdBenchmark (the
     * benchmarks module: a batch of 32 through a square layer, each path forced): the native call overtakes the Java
     * loops between 128 multiply-adds (267 ns against 351) and 512 (449 against 305); two threads overtake one
     * between 8K multiply-adds and 18K. In a training loop, where the operands move between the cores' caches, the
     * second thread pays off later: W2 on two threads, warm, median of 5 runs each, trained at 111k examples/s with
     * the parallel threshold at 32K and 120k at 256K, its 41K-multiply-add output layer then on one thread.
     */
    /** Multiply-adds below which a product is left to the Java loops: the native call costs more than it saves. */
    static final long NATIVE_THRESHOLD = 1 << 8;
    /** Multiply-adds below which a product stays on one thread: handing half to another costs more than it saves. */
    static final long PARALLEL_THRESHOLD = 1 << 18;

    /** Row splits come in multiples of the native tile's 4 rows, column splits in its widest panel, 32 columns. */
    public static final int ROW_UNIT = 4;

    private static final int PANEL = 32;

    /**
     * Values of a weight gradient per block handed to {@code after} ({@link #weightGradient(double[], double[],
     * double[], double, double[], int, int, int, RowTask)}): 256 KiB, so that the block and the weights it steps stay
     * in a level-2 cache between the product and the step.
     */
    public static final int AFTER_BLOCK = 1 << 15;

    /**
     * The forward product and weight gradient of a layer of fewer than 16 units (an output layer of 10 classes, say)
     * are computed transposed, {@code w^T x^T} and {@code delta^T x}, where the long side lies along the tiles, then
     * transposed back: the same sums of the same products in the same order (x * w and w * x are the same double), in
     * a third to a sixth of the time.
     */
    private static final int NARROW = 16;

    private enum Kind {
        FORWARD,
        NARROW_FORWARD,
        WEIGHT_GRADIENT,
        NARROW_WEIGHT_GRADIENT,
        INPUT_GRADIENT
    }

    /** Asked of the JVM once: every instance without native kernels fuses as it says. */
    private static final boolean FMA_INSTRUCTIONS = fmaInstructions();

    private final Workers workers;
    private final boolean nativeKernels;
    private final long nativeThreshold;
    private final long parallelThreshold;
    private double[] transposed = new double[0];
    /** The forward product's sums over the upper half of the inputs, added to the lower half's after. */
    private double[] upper = new double[0];

    /** Whether the products fuse multiply-adds: as the native copy in use does, else as the processor can. */
    private final boolean fused;

    private Kind kind;
    /** The operands of the call in progress: {@code a} and {@code b}, or in float32 {@code fa} and {@code fb}. */
    private double[] a;

    private double[] b;
    private float[] fa;
    private float[] fb;
    private double[] c;
    private double[] extra;
    private double alpha;
    private int rows;
    private int fanIn;
    private int units;
    private boolean byColumns;
    private boolean useNative;
    /** Where the forward product's inputs split into halves; 0 for no split. */
    private int half;
    /** What a part of a weight gradient split by rows runs on its rows as it computes them; null for nothing. */
    private RowTask after;
    /** The plain step the weight gradient in progress applies as it computes, at {@link #rate}; null for none. */
    private PlainStep step;

    private double rate;
    /** The weights of the weight gradient in progress: its L2 term's, and those a plain step updates. */
    private double[] weights;

    public Products(Workers workers) {
        this(workers, NativeDense.available(), NATIVE_THRESHOLD, PARALLEL_THRESHOLD);
    }

    /** With the thresholds as given: tests set them to 0 to send the smallest products through every path. */
    Products(Workers workers, boolean nativeKernels, long nativeThreshold, long parallelThreshold) {
        this.workers = workers;
        this.nativeKernels = nativeKernels && NativeDense.available();
        this.nativeThreshold = nativeThreshold;
        this.parallelThreshold = parallelThreshold;
        this.fused = this.nativeKernels ? NativeDense.fused() : FMA_INSTRUCTIONS;
    }

    /** Whether the JIT compiles {@code Math.fma} to the processor's fused multiply-add (HotSpot's UseFMA). */
    private static boolean fmaInstructions() {
        try {
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return vm != null && Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot: separate multiply and add, never a slow software fma
        }
    }

    /** Whether this instance's products fuse each multiply-add (one rounding per term), double and float alike. */
    public boolean fused() {
        return fused;
    }

    /** Which kernels run the products: {@code native avx512 (libbackprop-kernels, linux-x86_64)}, or {@code Java (why not native)}. */
    public static String kernels() {
        return NativeDense.status();
    }

    /**
     * Why {@code -Dbackprop.kernels} names kernels this machine cannot run (a copy it lacks, or no kernels at all), or
     * null where it is unset or followed. Unset, the native library is not loaded to say so: every command asks first.
     */
    public static String kernelsRefusal() {
        return System.getProperty(NativeDense.PROPERTY) == null ? null : NativeDense.refusal();
    }

    /**
     * {@code z[rows x units] = x[rows x fanIn] w[fanIn x units] + bias[units]} on every row, each element summed as
     * {@code (lower + upper) + bias}: {@code lower} the sum over the inputs below {@link #half}, {@code upper} over those
     * from it, each in ascending order. On two threads each then reads only the weight rows of its half, the rows whose
     * gradient it computes and which it updates, so a layer's weights stay in one core's cache from batch to batch.
     */
    public void forward(double[] x, double[] w, double[] bias, double[] z, int rows, int fanIn, int units) {
        Dense.check(x, rows, fanIn, "x", w, fanIn, units, "w", z, rows, units);
        Dense.checkLength(bias, 1, units, "bias");
        call(Kind.FORWARD, x, w, z, bias, 0, rows, fanIn, units);
    }

    /**
     * The forward product with float operands: as {@link #forward(double[], double[], double[], double[], int, int,
     * int)}, each half's sum a float over p ascending (fused multiply-adds where {@link #fused}), widened to
     * double as written, the halves and the bias then added in double.
     */
    public void forward(float[] x, float[] w, double[] bias, double[] z, int rows, int fanIn, int units) {
        Dense.checkLength(x, rows, fanIn, "x");
        Dense.checkLength(w, fanIn, units, "w");
        Dense.checkLength(z, rows, units, "z");
        Dense.checkLength(bias, 1, units, "bias");
        floats(x, w);
        call(Kind.FORWARD, null, null, z, bias, 0, rows, fanIn, units);
    }

    /**
     * Where the inputs of a forward product split into the halves it sums apart: the weight rows the first of two
     * threads computes gradients for and updates (whole 4-row tiles); 0 for layers of up to 4 inputs, summed whole.
     */
    public static int half(int fanIn) {
        return Workers.slice(fanIn, ROW_UNIT, 1, 2);
    }

    /** Whether the products of a layer with this batch and shape are split between threads (when there are several). */
    public static boolean splits(int rows, int fanIn, int units) {
        return (long) rows * fanIn * units >= PARALLEL_THRESHOLD;
    }

    /** {@code gw[fanIn x units] = x[rows x fanIn]^T delta[rows x units] + l2 w}: the batch's weight gradient with its L2 term. */
    public void weightGradient(
            double[] x, double[] delta, double[] w, double l2, double[] gw, int rows, int fanIn, int units) {
        weightGradient(x, delta, w, l2, gw, rows, fanIn, units, null);
    }

    /**
     * As {@link #weightGradient(double[], double[], double[], double, double[], int, int, int)}; where the result's rows
     * are split as {@code Workers.slice(fanIn, ROW_UNIT, part, parts)} (or not split), each part computes its rows a
     * block at a time ({@link #AFTER_BLOCK} values, whole 4-row tiles) and runs {@code after.rows(from, to)} on each
     * block as soon as it is computed, on the same thread, while the block is in its cache. Every row is handed over
     * once. Where the rows are not split so (split by columns, or a narrow layer), {@code after} does not run. Where
     * {@code after} is a {@link PlainStep} with a rate and the native kernels compute the rows, they apply the step to
     * {@code w} themselves and leave {@code gw} unwritten; then {@link PlainStep#stepped} runs instead.
     */
    public void weightGradient(
            double[] x,
            double[] delta,
            double[] w,
            double l2,
            double[] gw,
            int rows,
            int fanIn,
            int units,
            RowTask after) {
        Dense.check(x, rows, fanIn, "x", delta, rows, units, "delta", gw, fanIn, units);
        Dense.checkLength(w, fanIn, units, "w");
        if (gw == w) throw new IllegalArgumentException("gw aliases w");
        this.after = after;
        this.weights = w;
        try {
            call(Kind.WEIGHT_GRADIENT, x, delta, gw, l2 == 0 ? null : w, l2, rows, fanIn, units);
        } finally {
            this.after = null;
            this.step = null;
            this.weights = null;
        }
    }

    /**
     * The weight gradient with float operands: {@code gw = x^T delta} in float sums (as {@link #forward(float[],
     * float[], double[], double[], int, int, int)}), widened, {@code + l2 w} in double; {@code after} as in {@link
     * #weightGradient(double[], double[], double[], double, double[], int, int, int, RowTask)}.
     */
    public void weightGradient(
            float[] x,
            float[] delta,
            double[] w,
            double l2,
            double[] gw,
            int rows,
            int fanIn,
            int units,
            RowTask after) {
        Dense.checkLength(x, rows, fanIn, "x");
        Dense.checkLength(delta, rows, units, "delta");
        Dense.checkLength(gw, fanIn, units, "gw");
        Dense.checkLength(w, fanIn, units, "w");
        if (gw == w) throw new IllegalArgumentException("gw aliases w");
        floats(x, delta);
        this.after = after;
        this.weights = w;
        try {
            call(Kind.WEIGHT_GRADIENT, null, null, gw, l2 == 0 ? null : w, l2, rows, fanIn, units);
        } finally {
            this.after = null;
            this.step = null;
            this.weights = null;
        }
    }

    /** The input gradient with float operands, in float sums widened to double (see the float {@link #forward}). */
    public void inputGradient(float[] delta, float[] w, double[] dx, int rows, int fanIn, int units) {
        Dense.checkLength(delta, rows, units, "delta");
        Dense.checkLength(w, fanIn, units, "w");
        Dense.checkLength(dx, rows, fanIn, "dx");
        floats(delta, w);
        call(Kind.INPUT_GRADIENT, null, null, dx, null, 0, rows, fanIn, units);
    }

    /** The float operands of the call about to be made. */
    private void floats(float[] a, float[] b) {
        this.fa = a;
        this.fb = b;
    }

    /** {@code dx[rows x fanIn] = delta[rows x units] w[fanIn x units]^T}: the gradient passed to the layer below. */
    public void inputGradient(double[] delta, double[] w, double[] dx, int rows, int fanIn, int units) {
        Dense.check(delta, rows, units, "delta", w, fanIn, units, "w", dx, rows, fanIn);
        call(Kind.INPUT_GRADIENT, delta, w, dx, null, 0, rows, fanIn, units);
    }

    private void call(
            Kind kind,
            double[] a,
            double[] b,
            double[] c,
            double[] extra,
            double alpha,
            int rows,
            int fanIn,
            int units) {
        long work = (long) rows * fanIn * units;
        this.useNative = nativeKernels && work >= nativeThreshold;
        if (kind == Kind.WEIGHT_GRADIENT && useNative && units < NARROW) {
            kind = Kind.NARROW_WEIGHT_GRADIENT;
            if (transposed.length < fanIn * units) transposed = new double[fanIn * units];
        }
        if (kind == Kind.FORWARD && useNative && units < NARROW) {
            kind = Kind.NARROW_FORWARD;
            if (transposed.length < rows * units) transposed = new double[rows * units];
        }
        this.half = kind == Kind.FORWARD || kind == Kind.NARROW_FORWARD ? half(fanIn) : 0;
        if (half > 0 && upper.length < rows * units) upper = new double[rows * units];
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.c = c;
        this.extra = extra;
        this.alpha = alpha;
        this.rows = rows;
        this.fanIn = fanIn;
        this.units = units;
        // One test on a value every training sees both ways: a branch on workers.size() alone is never taken in a
        // run, so the JIT compiles it as a trap, and the first call that takes it throws the compiled code away.
        int parts = work < parallelThreshold ? 1 : workers.size();
        byColumns = parts > 1 && useNative && splitByColumns();
        step = null;
        if (after instanceof PlainStep plain && useNative && kind == Kind.WEIGHT_GRADIENT && !byColumns) {
            rate = plain.rate();
            if (!Double.isNaN(rate)) step = plain;
        }
        try {
            if (parts == 1) run(0, 1);
            else workers.run(this);
            if (half > 0 && kind == Kind.FORWARD) addHalves();
        } finally {
            this.a = this.b = this.c = this.extra = null;
            this.fa = this.fb = null;
        }
    }

    /**
     * Whether the threads split the result's columns (each reads a slice of the right operand) rather than its rows
     * (each reads a slice of the left): whichever operand is larger is the one sliced.
     */
    private boolean splitByColumns() {
        return switch (kind) {
            case FORWARD -> fanIn * units >= rows * fanIn;
            case WEIGHT_GRADIENT -> rows * units > fanIn * rows; // a tie splits rows, as the parameter update does
            case NARROW_FORWARD, NARROW_WEIGHT_GRADIENT -> false;
            case INPUT_GRADIENT -> fanIn * units >= rows * units;
        };
    }

    /** {@code c = (c + upper) + bias}: the forward product from the sums over its halves. */
    private void addHalves() {
        for (int i = 0; i < rows; i++) {
            int o = i * units;
            for (int j = 0; j < units; j++) c[o + j] = (c[o + j] + upper[o + j]) + extra[j];
        }
    }

    /** Rows {@code [i0, i1)} of the result by the loops of {@link Dense}: for small products, or without native kernels. */
    private void javaProduct(int i0, int i1) {
        switch (kind) {
            case FORWARD, NARROW_FORWARD -> {
                if (half == 0) {
                    forwardRows(c, i0, i1, 0, fanIn);
                    Dense.addRowVectorRows(c, extra, units, i0, i1);
                } else {
                    forwardRows(c, i0, i1, 0, half);
                    forwardRows(upper, i0, i1, half, fanIn);
                }
            }
            case WEIGHT_GRADIENT, NARROW_WEIGHT_GRADIENT -> {
                if (fa != null) Dense.multTransARows(fa, fb, c, fanIn, rows, units, i0, i1, alpha, extra, fused);
                else Dense.multTransARows(a, b, c, fanIn, rows, units, i0, i1, alpha, extra, fused);
            }
            case INPUT_GRADIENT -> {
                if (fa != null) Dense.multTransBRows(fa, fb, c, units, fanIn, i0, i1, fused);
                else Dense.multTransBRows(a, b, c, units, fanIn, i0, i1, fused);
            }
        }
    }

    /** Rows {@code [i0, i1)} of {@code out = x w} summed over the inputs {@code [p0, p1)}, by {@link Dense}. */
    private void forwardRows(double[] out, int i0, int i1, int p0, int p1) {
        if (fa != null) Dense.multRows(fa, fb, out, fanIn, units, i0, i1, p0, p1, fused);
        else Dense.multRows(a, b, out, fanIn, units, i0, i1, p0, p1, fused);
    }

    /**
     * {@link NativeDense#product} (or its float twin) of the call's operands, {@code a} then {@code b}, or with
     * {@code swapped} {@code b} then {@code a} (the transposed products of narrow layers); a weight gradient's with
     * the plain step in progress, if any.
     */
    private boolean nativeProduct(
            boolean swapped,
            int aOffset,
            int ar,
            int ac,
            int bOffset,
            int brs,
            int bcs,
            double[] out,
            int k,
            int n,
            int i0,
            int i1,
            int j0,
            int j1,
            double[] bias,
            double[] addend,
            double alpha) {
        boolean stepping = step != null; // set only for a weight gradient (see call)
        if (fa != null) {
            return NativeDense.productFloat(
                    swapped ? fb : fa,
                    aOffset,
                    ar,
                    ac,
                    swapped ? fa : fb,
                    bOffset,
                    brs,
                    bcs,
                    out,
                    k,
                    n,
                    i0,
                    i1,
                    j0,
                    j1,
                    bias,
                    addend,
                    alpha,
                    stepping ? weights : null,
                    stepping ? step.floatWeights() : null,
                    stepping ? step.squares() : null,
                    rate);
        }
        return NativeDense.product(
                swapped ? b : a,
                aOffset,
                ar,
                ac,
                swapped ? a : b,
                bOffset,
                brs,
                bcs,
                out,
                k,
                n,
                i0,
                i1,
                j0,
                j1,
                bias,
                addend,
                alpha,
                stepping ? weights : null,
                null,
                stepping ? step.squares() : null,
                rate);
    }

    @Override
    public void run(int part, int parts) {
        if (after == null || kind != Kind.WEIGHT_GRADIENT || byColumns) {
            product(part, parts);
            return;
        }
        int from = Workers.slice(fanIn, ROW_UNIT, part, parts);
        int to = Workers.slice(fanIn, ROW_UNIT, part + 1, parts);
        int block = Math.max(ROW_UNIT, AFTER_BLOCK / units / ROW_UNIT * ROW_UNIT);
        for (int i0 = from; i0 < to; i0 += block) {
            int i1 = Math.min(to, i0 + block);
            if (step != null) {
                java.util.Arrays.fill(step.squares(), i0 * 8, i1 * 8, 0);
                product(i0, i1, 0, units);
                step.stepped(i0, i1);
            } else {
                product(i0, i1, 0, units);
                after.rows(i0, i1);
            }
        }
    }

    /** The rows of the product in progress's result: a weight gradient's are the layer's inputs. */
    private int resultRows() {
        return kind == Kind.WEIGHT_GRADIENT || kind == Kind.NARROW_WEIGHT_GRADIENT ? fanIn : rows;
    }

    /** The columns of the product in progress's result: an input gradient's are the layer's inputs. */
    private int resultColumns() {
        return kind == Kind.INPUT_GRADIENT ? fanIn : units;
    }

    /** Part {@code part} of {@code parts} of the product in progress. */
    private void product(int part, int parts) {
        int resultRows = resultRows();
        int resultColumns = resultColumns();
        int i0 = 0;
        int i1 = resultRows;
        int j0 = 0;
        int j1 = resultColumns;
        if (useNative && half > 0 && kind == Kind.FORWARD) {
            forwardHalves(part, parts);
            return;
        }
        if (parts > 1 && byColumns) {
            j0 = Workers.slice(resultColumns, PANEL, part, parts);
            j1 = Workers.slice(resultColumns, PANEL, part + 1, parts);
        } else if (parts > 1) {
            // The rows of a narrow product are the columns of its tiles.
            int unit = kind == Kind.NARROW_FORWARD ? PANEL : kind == Kind.NARROW_WEIGHT_GRADIENT ? NARROW : ROW_UNIT;
            i0 = Workers.slice(resultRows, unit, part, parts);
            i1 = Workers.slice(resultRows, unit, part + 1, parts);
        }
        product(i0, i1, j0, j1);
    }

    /** Rows {@code [i0, i1)} and columns {@code [j0, j1)} of the result of the product in progress (not a forward one in halves). */
    private void product(int i0, int i1, int j0, int j1) {
        if (i0 >= i1 || j0 >= j1) return;
        if (!useNative) {
            javaProduct(i0, i1);
            return;
        }
        boolean done = switch (kind) {
            case FORWARD ->
                nativeProduct(false, 0, fanIn, 1, 0, units, 1, c, fanIn, units, i0, i1, j0, j1, extra, null, 0);
            case NARROW_FORWARD -> narrowForward(i0, i1);
            case WEIGHT_GRADIENT ->
                nativeProduct(false, 0, 1, fanIn, 0, units, 1, c, rows, units, i0, i1, j0, j1, null, extra, alpha);
            case NARROW_WEIGHT_GRADIENT -> {
                boolean ok = nativeProduct(
                        true, 0, 1, units, 0, fanIn, 1, transposed, rows, fanIn, 0, units, i0, i1, null, null, 0);
                for (int i = i0; i < i1; i++) {
                    for (int u = 0; u < units; u++) {
                        double sum = transposed[u * fanIn + i];
                        c[i * units + u] = extra == null ? sum : sum + alpha * extra[i * units + u];
                    }
                }
                yield ok;
            }
            case INPUT_GRADIENT ->
                nativeProduct(false, 0, units, 1, 0, 1, units, c, units, fanIn, i0, i1, j0, j1, null, null, 0);
        };
        if (!done) throw outOfMemory(resultRows(), resultColumns());
    }

    /** Rows {@code [i0, i1)} of a narrow forward product: {@code w^T x^T} over each half of the inputs, then transposed back. */
    private boolean narrowForward(int i0, int i1) {
        int lower = half == 0 ? fanIn : half;
        boolean ok =
                nativeProduct(true, 0, 1, units, 0, 1, fanIn, transposed, lower, rows, 0, units, i0, i1, null, null, 0);
        if (half > 0) {
            ok &= nativeProduct(
                    true,
                    half * units,
                    1,
                    units,
                    half,
                    1,
                    fanIn,
                    upper,
                    fanIn - half,
                    rows,
                    0,
                    units,
                    i0,
                    i1,
                    null,
                    null,
                    0);
        }
        for (int i = i0; i < i1; i++) {
            for (int u = 0; u < units; u++) {
                int t = u * rows + i;
                c[i * units + u] = (half == 0 ? transposed[t] : transposed[t] + upper[t]) + extra[u];
            }
        }
        return ok;
    }

    /**
     * Part {@code part} of a forward product summed in halves: the first half of the parts take the lower half of the
     * inputs, the rest the upper, each slicing the columns among them. One part alone does both.
     */
    private void forwardHalves(int part, int parts) {
        int lowerParts = Math.max(1, parts / 2);
        for (int h = 0; h < 2; h++) {
            int first = h == 0 ? 0 : lowerParts;
            int count = parts == 1 ? 1 : h == 0 ? lowerParts : parts - lowerParts;
            if (parts > 1 && (part < first || part >= first + count)) continue;
            int slot = parts == 1 ? 0 : part - first;
            int j0 = Workers.slice(units, PANEL, slot, count);
            int j1 = Workers.slice(units, PANEL, slot + 1, count);
            if (j0 >= j1) continue;
            int p0 = h == 0 ? 0 : half;
            int k = h == 0 ? half : fanIn - half;
            double[] out = h == 0 ? c : upper;
            if (!nativeProduct(
                    false, p0, fanIn, 1, p0 * units, units, 1, out, k, units, 0, rows, j0, j1, null, null, 0)) {
                throw outOfMemory(rows, units);
            }
        }
    }

    private static OutOfMemoryError outOfMemory(int rows, int columns) {
        return new OutOfMemoryError("native kernel scratch for a " + rows + " x " + columns + " product");
    }
}
