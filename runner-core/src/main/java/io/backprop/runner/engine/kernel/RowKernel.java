package io.backprop.runner.engine.kernel;

/**
 * The products of {@link Dense}, and one thread's scratch for them: {@code c(i, j) = sum over p of a(i, p) b(p, j)},
 * each sum over the p where {@code a(i, p)} is non-zero, in ascending order, four terms at a time, as
 * {@code (((s + t0) + t1) + t2) + t3} (Java's left-to-right evaluation) or, fused, {@code fma(a3, r3, fma(a2, r2,
 * fma(a1, r1, fma(a0, r0, s))))}: the bits of the plain loop and of the native kernels that fuse as the caller says.
 * Leaving out the zero terms changes no bit, fused or not: a sum that starts at +0 is never -0, so adding a zero
 * product leaves it as it is.
 * A pair of rows summed together (below) sums each over the p where either is non-zero: a zero term it then adds,
 * {@code 0 * b} with b finite, leaves its sum as it is for the same reason.
 *
 * <p>The loop over a row's columns is the one the JIT vectorises, and it does so only where every array in the loop
 * is indexed by the same expression: accumulator rows, and four rows of {@code b} copied into arrays of their own
 * (a block of {@link #BLOCK} columns of the rows some row of {@code a} uses, then read by every row). Rows of the
 * result run in pairs, each pass over four copied rows serving both (4 loads of b, 2 loads and 2 stores of the
 * accumulators per 8 multiply-adds, against 5 and 1 per 4 for a row alone); a row left over runs alone. Not more:
 * a multiply-add has two operand orders to tell rows apart (see {@link #accumulateGroup}), and with six or eight terms
 * a pass the loop body is too large for C2 to unroll, and then it vectorises nothing.
 */
final class RowKernel {
    /**
     * Columns of {@code c} per block: the copied rows of {@code b} (up to 784 here, 1.5 MiB) stay in the core's cache,
     * and the vectorised loop is long enough that the scalar iterations before and after it cost little (at 256
     * columns the loop ran 14% faster than at 128, at 512 no faster).
     */
    static final int BLOCK = 256;
    /** Products with fewer columns than this (an output layer) run transposed, where there are more rows than columns. */
    private static final int NARROW = 16;
    /** Rows of the result summed together, each pass over the copied rows of b serving both. */
    static final int GROUP = 2;
    /** Terms per pass over the columns: a group's list is padded to a multiple of it. */
    private static final int PASS = 4;
    /**
     * Multiply-adds below which a product runs as the plain loop: listing, copying and the loops before and after the
     * vectorised one cost more than they save (XOR's products are of 8 to 16).
     */
    private static final long SMALL = 1024;

    private static final ThreadLocal<RowKernel> SCRATCH = ThreadLocal.withInitial(RowKernel::new);

    /** For each row of {@code a} in the call, from {@code row * span}: its listed p, and {@code a(i, p)} for each. */
    private int[] ps = new int[0];

    private double[] values = new double[0];
    /** How many p each row lists. */
    private int[] counts = new int[0];
    /** Whether some row lists p (so row p of b is copied). */
    private int[] used = new int[0];
    /** Columns {@code [j0, j0 + BLOCK)} of row p of b, at {@code rows[p - p0]}. */
    private double[][] rows = new double[0][];

    private final double[] sum = new double[BLOCK];
    /** The accumulator rows of a group. */
    private final double[][] sums = new double[GROUP][BLOCK];

    private RowKernel() {}

    /**
     * Rows {@code [from, to)} of {@code c[* x n]}: {@code c(i, j) = sum over p in [p0, p1) of a(i, p) b(p, j)}, where
     * {@code a(i, p) = a[i * ai + p * ap]} and {@code b(p, j) = b[p * bp + j * bj]} read each as stored or transposed.
     * Shapes already checked.
     */
    static void product(
            double[] a,
            int ai,
            int ap,
            double[] b,
            int bp,
            int bj,
            double[] c,
            int n,
            int from,
            int to,
            int p0,
            int p1,
            boolean fused) {
        product(a, ai, ap, b, bp, bj, c, n, from, to, p0, p1, 0, null, fused);
    }

    /**
     * As {@link #product(double[], int, int, double[], int, int, double[], int, int, int, int, int)}, each sum then
     * plus {@code alpha * addend[i * n + j]} (unless {@code addend} is null): the L2 term of a weight gradient, added
     * as each row is written, or, where one block of columns holds whole rows, in one pass over them after the sums.
     */
    static void product(
            double[] a,
            int ai,
            int ap,
            double[] b,
            int bp,
            int bj,
            double[] c,
            int n,
            int from,
            int to,
            int p0,
            int p1,
            double alpha,
            double[] addend,
            boolean fused) {
        if (from >= to) return;
        if ((long) (to - from) * (p1 - p0) * n < SMALL) {
            plain(a, ai, ap, b, bp, bj, c, n, from, to, p0, p1, alpha, addend, fused);
            return;
        }
        RowKernel scratch = SCRATCH.get();
        if (n < NARROW && to - from > n) {
            // c^T = b^T a^T: the long side along the vectorised loop; b(p, j) a(i, p) is the same double as a(i, p)
            // b(p, j).
            scratch.run(
                    b, 0, bj, bp, a, from * ai, ap, ai, c, from * n, 1, n, 0, n, to - from, p0, p1, alpha, addend,
                    fused);
        } else {
            scratch.run(a, 0, ai, ap, b, 0, bp, bj, c, 0, n, 1, from, to, n, p0, p1, alpha, addend, fused);
        }
    }

    /**
     * {@link #product} as the plain loop: each element summed over p in ascending order, zero terms left out; fused or
     * not, chosen outside the loops.
     */
    private static void plain(
            double[] a,
            int ai,
            int ap,
            double[] b,
            int bp,
            int bj,
            double[] c,
            int n,
            int from,
            int to,
            int p0,
            int p1,
            double alpha,
            double[] addend,
            boolean fused) {
        for (int i = from; i < to; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                if (fused) {
                    for (int p = p0; p < p1; p++) {
                        double e = a[i * ai + p * ap];
                        if (e != 0) s = Math.fma(e, b[p * bp + j * bj], s);
                    }
                } else {
                    for (int p = p0; p < p1; p++) {
                        double e = a[i * ai + p * ap];
                        if (e != 0) s += e * b[p * bp + j * bj];
                    }
                }
                c[i * n + j] = addend == null ? s : s + alpha * addend[i * n + j];
            }
        }
    }

    /**
     * Rows {@code [from, to)} and columns {@code [0, n)} of {@code c(i, j) = c[co + i * ci + j * cj]}, the sums over
     * p in {@code [p0, p1)} of {@code a[ao + i * ai + p * ap] * b[bo + p * bp + j * bj]}.
     */
    private void run(
            double[] a,
            int ao,
            int ai,
            int ap,
            double[] b,
            int bo,
            int bp,
            int bj,
            double[] c,
            int co,
            int ci,
            int cj,
            int from,
            int to,
            int n,
            int p0,
            int p1,
            double alpha,
            double[] addend,
            boolean fused) {
        int span = p1 - p0;
        int stride = span + PASS; // a row's share of ps and values: its terms, padded to a multiple of PASS
        int rowCount = to - from;
        int groups = rowCount / GROUP;
        int units = groups + rowCount % GROUP;
        reserve(rowCount, units, span, stride);
        java.util.Arrays.fill(used, 0, span, 0);
        for (int g = 0; g < groups; g++) {
            int at = g * GROUP * stride; // the group's rows' share of ps and values
            listGroup(a, ao + (from + g * GROUP) * ai, ai, ap, p0, p1, at, at, g, span);
        }
        for (int i = from + groups * GROUP, u = groups; i < to; i++, u++) {
            list(a, ao + i * ai, ap, p0, p1, (i - from) * stride, u);
        }
        double[] sum = this.sum;
        // Where one block holds whole rows, stored one after the other: the addend goes on in one pass over them all
        // at the end, which streams; added row by row between the sums, it took twice as long (W2's 784 x 128).
        boolean addendAfter = addend != null && n <= BLOCK && cj == 1 && ci == n;
        double[] rowAddend = addendAfter ? null : addend;
        for (int j0 = 0; j0 < n; j0 += BLOCK) {
            int width = Math.min(BLOCK, n - j0);
            copy(b, bo + p0 * bp + j0 * bj, bp, bj, span, width);
            for (int g = 0; g < groups; g++) {
                if (fused) {
                    accumulateGroupFused(g * GROUP * stride, g * GROUP * stride, counts[g], width);
                } else {
                    accumulateGroup(g * GROUP * stride, g * GROUP * stride, counts[g], width);
                }
                int i = from + g * GROUP;
                write(sums[0], c, co + i * ci + j0 * cj, cj, width, alpha, rowAddend);
                write(sums[1], c, co + (i + 1) * ci + j0 * cj, cj, width, alpha, rowAddend);
            }
            for (int i = from + groups * GROUP, u = groups; i < to; i++, u++) {
                if (fused) {
                    accumulateFused((i - from) * stride, counts[u], width);
                } else {
                    accumulate((i - from) * stride, counts[u], width);
                }
                write(sum, c, co + i * ci + j0 * cj, cj, width, alpha, rowAddend);
            }
        }
        if (addendAfter) Dense.axpyRange(alpha, addend, c, co + from * n, co + to * n);
    }

    /** {@code c[o + j * cj] = sum[j]} (plus {@code alpha * addend[o + j * cj]}) for j in {@code [0, width)}. */
    private static void write(double[] sum, double[] c, int o, int cj, int width, double alpha, double[] addend) {
        if (cj == 1) {
            if (addend == null) {
                System.arraycopy(sum, 0, c, o, width);
            } else {
                for (int j = 0; j < width; j++) c[o + j] = sum[j] + alpha * addend[o + j];
            }
        } else if (addend != null) {
            for (int j = 0; j < width; j++) c[o + j * cj] = sum[j] + alpha * addend[o + j * cj];
        } else {
            for (int j = 0; j < width; j++) c[o + j * cj] = sum[j];
        }
    }

    private void reserve(int rowCount, int units, int span, int stride) {
        if (ps.length < rowCount * stride) ps = new int[rowCount * stride];
        if (values.length < rowCount * stride) values = new double[rowCount * stride];
        if (counts.length < units) counts = new int[units];
        if (used.length < span) used = new int[span];
        // One row more than span: rows[span] stays zero, the row the padding terms of a group read.
        if (rows.length < span + 1) {
            double[][] grown = java.util.Arrays.copyOf(rows, span + 1);
            for (int p = rows.length; p <= span; p++) grown[p] = new double[BLOCK];
            java.util.Arrays.fill(grown[span], 0.0);
            rows = grown;
        }
    }

    /**
     * Lists, from {@code at}, the p in {@code [p0, p1)} where {@code a[ao + p * ap]} is non-zero, minus p0, then
     * their values, and marks them used. Two passes: the first stores only p, the second reads only what it lists.
     */
    private void list(double[] a, int ao, int ap, int p0, int p1, int at, int row) {
        int[] ps = this.ps;
        double[] values = this.values;
        int[] used = this.used;
        int q = at;
        for (int p = p0; p < p1; p++) {
            ps[q] = p - p0;
            q += nonZero(Double.doubleToRawLongBits(a[ao + p * ap]) << 1);
        }
        for (int t = at; t < q; t++) {
            values[t] = a[ao + (ps[t] + p0) * ap];
            used[ps[t]] = 1;
        }
        counts[row] = q - at;
    }

    /**
     * Lists, from {@code at}, the p in {@code [p0, p1)} (minus p0) where any of the GROUP rows of {@code a} from
     * {@code ao} (each {@code ai} apart) is non-zero, and their GROUP values from {@code values[vat]}, GROUP a term;
     * then pads the list with zero terms on the zero row {@code span} to a multiple of PASS terms. In two passes, as
     * {@link #list}.
     */
    private void listGroup(double[] a, int ao, int ai, int ap, int p0, int p1, int at, int vat, int unit, int span) {
        int[] ps = this.ps;
        double[] values = this.values;
        int[] used = this.used;
        int q = at;
        for (int p = p0; p < p1; p++) {
            int e = ao + p * ap;
            ps[q] = p - p0;
            q += nonZero((Double.doubleToRawLongBits(a[e]) | Double.doubleToRawLongBits(a[e + ai])) << 1);
        }
        int v = vat;
        for (int t = at; t < q; t++, v += GROUP) {
            int e = ao + (ps[t] + p0) * ap;
            values[v] = a[e];
            values[v + 1] = a[e + ai];
            used[ps[t]] = 1;
        }
        for (; (q - at) % PASS != 0; q++, v += GROUP) {
            ps[q] = span;
            values[v] = 0;
            values[v + 1] = 0;
        }
        counts[unit] = q - at;
    }

    /**
     * 1 if {@code bits} (a double's bits shifted left by one, losing the sign, so that -0 and +0 are both 0) is not
     * 0, else 0: arithmetic, not a branch, which the pattern of zeros in an input would mispredict.
     */
    private static int nonZero(long bits) {
        return (int) ((bits | -bits) >>> 63);
    }

    /** Copies {@code b[bo + p * bp + j * bj]} for j in {@code [0, width)} of the used p in {@code [0, span)} into {@code rows[p]}. */
    private void copy(double[] b, int bo, int bp, int bj, int span, int width) {
        int[] used = this.used;
        double[][] rows = this.rows;
        if (bj == 1) {
            for (int p = 0; p < span; p++) if (used[p] != 0) System.arraycopy(b, bo + p * bp, rows[p], 0, width);
            return;
        }
        // Stored transposed: along b's stored rows (consecutive p), eight of them at a time, not across them.
        int j = 0;
        for (; j + 7 < width; j += 8) {
            int o = bo + j * bj;
            for (int p = 0; p < span; p++) {
                if (used[p] == 0) continue;
                double[] row = rows[p];
                int e = o + p * bp;
                row[j] = b[e];
                row[j + 1] = b[e + bj];
                row[j + 2] = b[e + 2 * bj];
                row[j + 3] = b[e + 3 * bj];
                row[j + 4] = b[e + 4 * bj];
                row[j + 5] = b[e + 5 * bj];
                row[j + 6] = b[e + 6 * bj];
                row[j + 7] = b[e + 7 * bj];
            }
        }
        for (; j < width; j++) {
            int o = bo + j * bj;
            for (int p = 0; p < span; p++) if (used[p] != 0) rows[p][j] = b[o + p * bp];
        }
    }

    /**
     * {@code sum[j] = sum over the q terms listed from at of a(i, p) b(p, j)}, in order: a first pass sets it from
     * {@code 0.0 +} the first {@code q % 4} terms (or 4), so that every later pass adds four and no pass adds fewer.
     */
    private void accumulate(int at, int q, int width) {
        int[] ps = this.ps;
        double[] values = this.values;
        double[][] rows = this.rows;
        double[] sum = this.sum;
        int first = q == 0 ? 0 : (q - 1) % 4 + 1;
        double a0 = first > 0 ? values[at] : 0;
        double a1 = first > 1 ? values[at + 1] : 0;
        double a2 = first > 2 ? values[at + 2] : 0;
        double a3 = first > 3 ? values[at + 3] : 0;
        double[] r0 = first > 0 ? rows[ps[at]] : null;
        double[] r1 = first > 1 ? rows[ps[at + 1]] : null;
        double[] r2 = first > 2 ? rows[ps[at + 2]] : null;
        double[] r3 = first > 3 ? rows[ps[at + 3]] : null;
        switch (first) {
            case 0 -> java.util.Arrays.fill(sum, 0, width, 0.0);
            case 1 -> {
                for (int j = 0; j < width; j++) sum[j] = 0.0 + a0 * r0[j];
            }
            case 2 -> {
                for (int j = 0; j < width; j++) sum[j] = 0.0 + a0 * r0[j] + a1 * r1[j];
            }
            case 3 -> {
                for (int j = 0; j < width; j++) sum[j] = 0.0 + a0 * r0[j] + a1 * r1[j] + a2 * r2[j];
            }
            default -> {
                for (int j = 0; j < width; j++) sum[j] = 0.0 + a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
            }
        }
        for (int t = at + first, end = at + q; t < end; t += 4) {
            a0 = values[t];
            a1 = values[t + 1];
            a2 = values[t + 2];
            a3 = values[t + 3];
            r0 = rows[ps[t]];
            r1 = rows[ps[t + 1]];
            r2 = rows[ps[t + 2]];
            r3 = rows[ps[t + 3]];
            for (int j = 0; j < width; j++) sum[j] = sum[j] + a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
        }
    }

    /** {@link #accumulate} with each term fused: {@code s = fma(a3, r3, fma(a2, r2, fma(a1, r1, fma(a0, r0, s))))}. */
    private void accumulateFused(int at, int q, int width) {
        int[] ps = this.ps;
        double[] values = this.values;
        double[][] rows = this.rows;
        double[] sum = this.sum;
        int first = q == 0 ? 0 : (q - 1) % 4 + 1;
        double a0 = first > 0 ? values[at] : 0;
        double a1 = first > 1 ? values[at + 1] : 0;
        double a2 = first > 2 ? values[at + 2] : 0;
        double a3 = first > 3 ? values[at + 3] : 0;
        double[] r0 = first > 0 ? rows[ps[at]] : null;
        double[] r1 = first > 1 ? rows[ps[at + 1]] : null;
        double[] r2 = first > 2 ? rows[ps[at + 2]] : null;
        double[] r3 = first > 3 ? rows[ps[at + 3]] : null;
        switch (first) {
            case 0 -> java.util.Arrays.fill(sum, 0, width, 0.0);
            case 1 -> {
                for (int j = 0; j < width; j++) sum[j] = Math.fma(a0, r0[j], 0.0);
            }
            case 2 -> {
                for (int j = 0; j < width; j++) sum[j] = Math.fma(a1, r1[j], Math.fma(a0, r0[j], 0.0));
            }
            case 3 -> {
                for (int j = 0; j < width; j++) {
                    sum[j] = Math.fma(a2, r2[j], Math.fma(a1, r1[j], Math.fma(a0, r0[j], 0.0)));
                }
            }
            default -> {
                for (int j = 0; j < width; j++) {
                    sum[j] = Math.fma(a3, r3[j], Math.fma(a2, r2[j], Math.fma(a1, r1[j], Math.fma(a0, r0[j], 0.0))));
                }
            }
        }
        for (int t = at + first, end = at + q; t < end; t += 4) {
            a0 = values[t];
            a1 = values[t + 1];
            a2 = values[t + 2];
            a3 = values[t + 3];
            r0 = rows[ps[t]];
            r1 = rows[ps[t + 1]];
            r2 = rows[ps[t + 2]];
            r3 = rows[ps[t + 3]];
            for (int j = 0; j < width; j++) {
                sum[j] = Math.fma(a3, r3[j], Math.fma(a2, r2[j], Math.fma(a1, r1[j], Math.fma(a0, r0[j], sum[j]))));
            }
        }
    }
    /**
     * {@code sums[r][j]} = the sums over the q terms listed from {@code at} (a multiple of four, values from {@code
     * vat}) of row r of the group, four terms a pass: each pass reads four copied rows of b once for both rows, and
     * each accumulator row once. The first pass starts from {@code 0.0 +}. The second row's products are written
     * {@code b * a}, the first's {@code a * b} (the same double): with both alike, C2 pairs the first row's term at
     * column j with the second's at j + 1 and vectorises neither.
     */
    private void accumulateGroup(int at, int vat, int q, int width) {
        int[] ps = this.ps;
        double[] values = this.values;
        double[][] rows = this.rows;
        double[] s0 = sums[0], s1 = sums[1];
        if (q == 0) {
            java.util.Arrays.fill(s0, 0, width, 0.0);
            java.util.Arrays.fill(s1, 0, width, 0.0);
            return;
        }
        for (int t = at, v = vat, end = at + q; t < end; t += 4, v += 8) {
            double[] r0 = rows[ps[t]], r1 = rows[ps[t + 1]], r2 = rows[ps[t + 2]], r3 = rows[ps[t + 3]];
            // a(row, term) at values[v + 2 * term + row]
            double a00 = values[v], a10 = values[v + 1], a01 = values[v + 2], a11 = values[v + 3];
            double a02 = values[v + 4], a12 = values[v + 5], a03 = values[v + 6], a13 = values[v + 7];
            if (t == at) {
                for (int j = 0; j < width; j++) {
                    double b0 = r0[j], b1 = r1[j], b2 = r2[j], b3 = r3[j];
                    s0[j] = 0.0 + a00 * b0 + a01 * b1 + a02 * b2 + a03 * b3;
                    s1[j] = 0.0 + b0 * a10 + b1 * a11 + b2 * a12 + b3 * a13;
                }
            } else {
                for (int j = 0; j < width; j++) {
                    double b0 = r0[j], b1 = r1[j], b2 = r2[j], b3 = r3[j];
                    s0[j] = s0[j] + a00 * b0 + a01 * b1 + a02 * b2 + a03 * b3;
                    s1[j] = s1[j] + b0 * a10 + b1 * a11 + b2 * a12 + b3 * a13;
                }
            }
        }
    }

    /** {@link #accumulateGroup} with each term fused. */
    private void accumulateGroupFused(int at, int vat, int q, int width) {
        int[] ps = this.ps;
        double[] values = this.values;
        double[][] rows = this.rows;
        double[] s0 = sums[0], s1 = sums[1];
        if (q == 0) {
            java.util.Arrays.fill(s0, 0, width, 0.0);
            java.util.Arrays.fill(s1, 0, width, 0.0);
            return;
        }
        for (int t = at, v = vat, end = at + q; t < end; t += 4, v += 8) {
            double[] r0 = rows[ps[t]], r1 = rows[ps[t + 1]], r2 = rows[ps[t + 2]], r3 = rows[ps[t + 3]];
            double a00 = values[v], a10 = values[v + 1], a01 = values[v + 2], a11 = values[v + 3];
            double a02 = values[v + 4], a12 = values[v + 5], a03 = values[v + 6], a13 = values[v + 7];
            if (t == at) {
                for (int j = 0; j < width; j++) {
                    double b0 = r0[j], b1 = r1[j], b2 = r2[j], b3 = r3[j];
                    s0[j] = Math.fma(a03, b3, Math.fma(a02, b2, Math.fma(a01, b1, Math.fma(a00, b0, 0.0))));
                    s1[j] = Math.fma(b3, a13, Math.fma(b2, a12, Math.fma(b1, a11, Math.fma(b0, a10, 0.0))));
                }
            } else {
                for (int j = 0; j < width; j++) {
                    double b0 = r0[j], b1 = r1[j], b2 = r2[j], b3 = r3[j];
                    s0[j] = Math.fma(a03, b3, Math.fma(a02, b2, Math.fma(a01, b1, Math.fma(a00, b0, s0[j]))));
                    s1[j] = Math.fma(b3, a13, Math.fma(b2, a12, Math.fma(b1, a11, Math.fma(b0, a10, s1[j]))));
                }
            }
        }
    }
}
