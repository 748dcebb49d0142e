/*
 * The product of kernels.c for one instruction set and one operand type, included once per pair with REAL (double or
 * float: the operands, the packed panels and the sums), PRODUCT (the struct of kernels.h for REAL), LANES (REALs in
 * a vector), WIDE (vectors across a tile), NAME(f) (the name of f in this copy) and MADD(s, e, b) / MADD1(s, e, b)
 * (s + e * b on vectors / on one REAL: a separate multiply and add, or one fused multiply-add in the copies that
 * fuse, the same in both so that a column has the same bits in a vector or alone) defined; BROADCAST(e) (e in every
 * lane), NONZERO8(p) (the mask of the 8 REALs at p that are not zero) with COMPRESS8(dst, mask, p) (p + l for each
 * bit l set in mask, ascending, stored at dst; up to 8 ints written) and TRANSPOSE(src, ss, dst, ds) (LANES rows of
 * LANES REALs, ss apart, into LANES rows ds apart, transposed in registers) where the copy has its own. The tile is 4
 * rows by WIDE vectors, as many sums as stay in registers: 4 by 4 vectors of 8 doubles or 16 floats on AVX-512's 32,
 * 4 by 3 of 4 doubles or 8 floats on AVX2's 16 (12 sums, 3 vectors of b and a broadcast: enough sums under way to
 * cover the latency of fused multiply-adds on two ports, which 4 by 2's 8 are not), 4 by 2 of 2 doubles or 4 floats
 * in the portable copy (SSE2's or NEON's 16 or 32).
 * c, bias and addend are double whatever REAL is: a float sum is widened to double as it is written, then takes
 * bias and addend in double; a partial sum (between p blocks) is kept in c the same way and read back narrowed,
 * which is exact.
 */
#define VEC NAME(vec)
#define CVEC NAME(cvec)
#define PVEC NAME(pvec)
#define FPIECE NAME(fpiece)
#define step_piece NAME(step_piece)
#define step_weights NAME(step_weights)
#define step_tile NAME(step_tile)
#define tile_result NAME(tile_result)
#define PANEL (WIDE * LANES)
#define tile NAME(tile)
#define accumulate NAME(accumulate)
#define single NAME(single)
#define row_group NAME(row_group)
#define pack NAME(pack)
#define pack_transposed NAME(pack_transposed)
#define product_part NAME(product_part)

typedef REAL VEC __attribute__((vector_size(sizeof(REAL) * LANES), aligned(sizeof(REAL))));
/* A VEC of floats widens to twice its width in doubles: c's values of one VEC go in two pieces (PVEC, CVEC) of the
 * machine's width, which compilers keep in registers, where a double vector of twice the width spills to the stack. */
#define PIECES (sizeof(REAL) == 4 ? 2 : 1)
#define PIECE (LANES / PIECES)
typedef REAL PVEC __attribute__((vector_size(sizeof(REAL) * PIECE), aligned(sizeof(REAL))));
typedef double CVEC __attribute__((vector_size(8 * PIECE), aligned(8)));
typedef float FPIECE __attribute__((vector_size(4 * PIECE), aligned(4)));

#ifndef BROADCAST
#define BROADCAST(e) ((VEC){0} + (e))
#define BROADCAST_HERE
#endif

/* The plain step (kernels.h) of the PIECE weights at o, whose gradients are g: the weights and their float copy. */
INLINE void step_weights(const PRODUCT *x, long o, CVEC g) {
    CVEC w = *(const CVEC *)(x->step + o) - x->rate * g; /* the scalar in every lane (0 + rate would lose -0) */
    *(CVEC *)(x->step + o) = w;
    if (x->step32) *(FPIECE *)(x->step32 + o) = __builtin_convertvector(w, FPIECE);
}

/* The plain step of the PIECE weights of row i from column col, whose gradients are g: weights, then squares. */
INLINE void step_piece(const PRODUCT *x, long i, long col, CVEC g) {
    long whole = x->n / 8 * 8;
    step_weights(x, i * x->n + col, g);
    double *lanes = x->squares + i * 8;
    if (col + PIECE <= whole) {
        CVEC *sums = (CVEC *)(lanes + col % 8);
        *sums = *sums + g * g;
    } else {
        for (int l = 0; l < PIECE; l++) lanes[col + l < whole ? (col + l) % 8 : 0] += g[l] * g[l];
    }
}

/* A piece of a tile's sums as the results at o in c (from column col): widened to double, then with the bias
 * and the addend where this is the last block of p. */
INLINE CVEC tile_result(const PRODUCT *x, PVEC sums, long o, long col, int last, CVEC alpha) {
    CVEC out = __builtin_convertvector(sums, CVEC);
    if (last && x->bias) out += *(const CVEC *)(x->bias + col);
    if (last && x->addend) out += alpha * *(const CVEC *)(x->addend + o);
    return out;
}

/*
 * A tile's last sums s, R rows by V vectors from column j, taken as the plain step's gradients (with bias and addend
 * as in tile). Out of line: inlined into every unrolled form of tile, it multiplied the copies' compile time.
 */
static __attribute__((noinline)) void step_tile(const PRODUCT *x, VEC s[ROWS][WIDE], int i, int j, int R, int V) {
    long n = x->n;
    const CVEC alpha = (CVEC){0} + x->alpha;
    /* With pieces of 8 (avx512), each starts a lane group (j is a multiple of LANES): a row's squares are added in a
     * register, in the same order, and its lanes read and written once a tile instead of once a piece. */
    int whole_lanes = PIECE == 8 && j % 8 == 0;
    for (int r = 0; r < R; r++) {
        double *lanes = whole_lanes ? x->squares + (long)(i + r) * 8 : NULL;
        CVEC squares = whole_lanes ? *(const CVEC *)lanes : (CVEC){0};
        for (int v = 0; v < V; v++) {
            union { VEC whole; PVEC piece[PIECES]; } sums = {s[r][v]};
#pragma GCC unroll 2
            for (int h = 0; h < PIECES; h++) {
                long col = j + LANES * v + PIECE * h, o = (i + r) * n + col;
                CVEC out = tile_result(x, sums.piece[h], o, col, 1, alpha);
                if (whole_lanes) {
                    step_weights(x, o, out);
                    squares = squares + out * out;
                } else {
                    step_piece(x, i + r, col, out);
                }
            }
        }
        if (whole_lanes) *(CVEC *)lanes = squares;
    }
}

/*
 * The sums s of a tile, R rows by V vectors, over the p in list[0, q) (see tile), held in variables of their own while
 * the loop runs: as an array of vectors, gcc copied every sum from one register to another at the end of each p.
 */
INLINE void accumulate(VEC s[ROWS][WIDE], const REAL *bb, long bs, const REAL *ai, long ar, long ac, const int *list,
                       int q, int R, int V) {
    _Static_assert(ROWS == 4 && WIDE <= 4, "the variables below name 4 rows by up to 4 vectors");
#define HAS(r, v) (R > (r) && V > (v))
#define AT_TILE(r, v) s[r][(v) < WIDE ? (v) : 0]
#define LOAD(r, v) VEC s##r##v = HAS(r, v) ? AT_TILE(r, v) : (VEC){0};
#define LOAD_ROW(r) LOAD(r, 0) LOAD(r, 1) LOAD(r, 2) LOAD(r, 3)
    LOAD_ROW(0) LOAD_ROW(1) LOAD_ROW(2) LOAD_ROW(3)
    /* One p: row p of the columns at bp, a(i, p) at ap (and a(i + r, p) at ap + r ar). */
#define MADD_AT(r, v) if (HAS(r, v)) s##r##v = MADD(s##r##v, e, b##v);
#define STEP_ROW(r, ap) if (R > (r)) { VEC e = BROADCAST((ap)[(r) * ar]); MADD_AT(r, 0) MADD_AT(r, 1) MADD_AT(r, 2) MADD_AT(r, 3) }
#define STEP(bp, ap)                                                                                   \
    do {                                                                                               \
        VEC b0 = *(const VEC *)(bp), b1 = V > 1 ? *(const VEC *)((bp) + LANES) : b0;                  \
        VEC b2 = V > 2 ? *(const VEC *)((bp) + 2 * LANES) : b0, b3 = V > 3 ? *(const VEC *)((bp) + 3 * LANES) : b0; \
        STEP_ROW(0, ap) STEP_ROW(1, ap) STEP_ROW(2, ap) STEP_ROW(3, ap)                                \
    } while (0)
    if (q > 0 && list[q - 1] - list[0] == q - 1) { /* every p of a range (dense rows): no list to read */
        const REAL *bp = bb + list[0] * bs, *ap = ai + (long)list[0] * ac;
        for (int t = 0; t < q; t++, bp += bs, ap += ac) STEP(bp, ap);
    } else {
        for (int t = 0; t < q; t++) {
            int p = list[t];
            STEP(bb + p * bs, ai + (long)p * ac);
        }
    }
#define STORE(r, v) if (HAS(r, v)) AT_TILE(r, v) = s##r##v;
#define STORE_ROW(r) STORE(r, 0) STORE(r, 1) STORE(r, 2) STORE(r, 3)
    STORE_ROW(0) STORE_ROW(1) STORE_ROW(2) STORE_ROW(3)
#undef STORE_ROW
#undef STORE
#undef STEP
#undef STEP_ROW
#undef MADD_AT
#undef LOAD_ROW
#undef LOAD
#undef AT_TILE
#undef HAS
}

/*
 * R rows by V vectors of LANES columns from column j, over the p in list[0, q), accumulated in registers. Row p of the
 * right operand's columns [j, j + LANES V) is at bb + p * bs: in b itself, or in a packed copy; a(i + r, p) is at
 * ai[r * ar + p * ac]: in a itself, or in a packed copy of the row group.
 */
INLINE void tile(const PRODUCT *x, const REAL *ai, long ar, long ac, int i, int j, const REAL *bb, long bs,
                 const int *list, int q, int R, int V, int first, int last) {
    long n = x->n;
    VEC s[ROWS][WIDE];
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) {
            if (first) {
                s[r][v] = (VEC){0};
                continue;
            }
            union { VEC whole; PVEC piece[PIECES]; } sums;
#pragma GCC unroll 2
            for (int h = 0; h < PIECES; h++)
                sums.piece[h] =
                        __builtin_convertvector(*(const CVEC *)(x->c + (i + r) * n + j + LANES * v + PIECE * h), PVEC);
            s[r][v] = sums.whole;
        }
    accumulate(s, bb, bs, ai, ar, ac, list, q, R, V);
    if (last && x->step) {
        step_tile(x, s, i, j, R, V);
        return;
    }
    const CVEC alpha = (CVEC){0} + x->alpha;
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) {
            union { VEC whole; PVEC piece[PIECES]; } sums = {s[r][v]};
#pragma GCC unroll 2
            for (int h = 0; h < PIECES; h++) {
                long col = j + LANES * v + PIECE * h, o = (i + r) * n + col;
                *(CVEC *)(x->c + o) = tile_result(x, sums.piece[h], o, col, last, alpha);
            }
        }
}

/* Columns left over after the vectors: one element at a time, in the same order. */
INLINE void single(const PRODUCT *x, int i, int R, int j0, int j1, const int *list, int q, int first, int last) {
    const REAL *a = x->a;
    long ar = x->ar, ac = x->ac, n = x->n;
    for (int r = 0; r < R; r++)
        for (int j = j0; j < j1; j++) {
            long o = (i + r) * n + j;
            REAL s = first ? 0 : (REAL)x->c[o];
            for (int t = 0; t < q; t++) s = MADD1(s, AT(i + r, list[t]), x->b[list[t] * x->brs + j * x->bcs]);
            double out = s;
            if (last && x->bias) out += x->bias[j];
            if (last && x->addend) out += x->alpha * x->addend[o];
            if (last && x->step) step_one(x->step, x->step32, x->squares, x->rate, n, i + r, j, out);
            else x->c[o] = out;
        }
}

/*
 * Rows [i, i + R) of c over the p in list[0, q); packed holds the block's PANEL-column panels of b (see pack), and
 * a(i + r, p) is at ai[r * ar + p * ac] (see tile).
 */
INLINE void row_group(const PRODUCT *x, const REAL *ai, long ar, long ac, int i, int R, int j0, int j1,
                      const REAL *packed, int pblock, int p0, const int *list, int q, int first, int last) {
    int j = j0;
    for (; j + PANEL <= j1; j += PANEL, packed += (long)pblock * PANEL) {
        if (R == ROWS) tile(x, ai, ar, ac, i, j, packed - (long)p0 * PANEL, PANEL, list, q, ROWS, WIDE, first, last);
        else tile(x, ai, ar, ac, i, j, packed - (long)p0 * PANEL, PANEL, list, q, 1, WIDE, first, last);
    }
    if (j + LANES <= j1) { /* the whole vectors left over, in one tile: read in place, or (b transposed) packed */
        const REAL *bp = x->bcs == 1 ? x->b + j : packed - (long)p0 * PANEL;
        long bs = x->bcs == 1 ? x->brs : PANEL;
        int V = (j1 - j) / LANES;
#define PART(V)                                                                                      \
    do {                                                                                             \
        if (R == ROWS) tile(x, ai, ar, ac, i, j, bp, bs, list, q, ROWS, V, first, last);             \
        else tile(x, ai, ar, ac, i, j, bp, bs, list, q, 1, V, first, last);                          \
    } while (0)
        if (V == 1) PART(1);
#if WIDE > 2
        else if (V == 2) PART(2);
#endif
#if WIDE > 3
        else PART(3);
#endif
#undef PART
        j += V * LANES;
    }
    if (j < j1) single(x, i, R, j, j1, list, q, first, last);
}

/*
 * Copies rows [p0, p1) of b, columns [j0, j1) in panels of PANEL columns, each panel pblock rows of PANEL contiguous
 * values: the tiles then read consecutive lines. Of b stored transposed, the whole vectors of the columns left over
 * too, in one more panel (read in place, a vector of them would not be contiguous). Read in place, rows of b whose
 * length is a power of two fall into the same few cache sets and evict each other.
 */
/* Columns [j, j + width) of b stored transposed into a panel: read along its stored rows, a column at a time; where
 * the copy has TRANSPOSE (a LANES x LANES block in registers) and b's stored rows are contiguous, a block at a time. */
INLINE void pack_transposed(const PRODUCT *x, int p0, int p1, int j, int width, REAL *packed) {
    int p = p0;
#ifdef TRANSPOSE
    if (x->brs == 1) {
        for (; p + LANES <= p1; p += LANES)
            for (int v = 0; v < width; v += LANES)
                TRANSPOSE(x->b + (long)(j + v) * x->bcs + p, x->bcs, packed + (long)(p - p0) * PANEL + v, PANEL);
    }
#endif
    for (int v = 0; v < width; v++) {
        const REAL *src = x->b + (long)(j + v) * x->bcs;
        for (int q = p; q < p1; q++) packed[(long)(q - p0) * PANEL + v] = src[(long)q * x->brs];
    }
}

INLINE void pack(const PRODUCT *x, int p0, int p1, int j0, int j1, REAL *packed, int pblock,
                 const unsigned char *used) {
    int j = j0;
    for (; j + PANEL <= j1; j += PANEL, packed += (long)pblock * PANEL) {
        if (x->bcs == 1) {
            for (int p = p0; p < p1; p++) {
                if (used && !(used[p >> 3] >> (p & 7) & 1)) continue; /* in no row group's list: never read */
                const REAL *src = x->b + (long)p * x->brs + j;
                REAL *dst = packed + (long)(p - p0) * PANEL;
                for (int v = 0; v < PANEL; v++) dst[v] = src[v];
            }
        } else {
            pack_transposed(x, p0, p1, j, PANEL, packed);
        }
    }
    if (x->bcs != 1) pack_transposed(x, p0, p1, j, (j1 - j) / LANES * LANES, packed); /* see row_group */
}

/* Rows [i0, i1) and columns [j0, j1) of c; 0 when done, -1 when out of memory. */
static int product_part(const PRODUCT *x, int k, int i0, int i1, int j0, int j1) {
    const REAL *a = x->a;
    long ar = x->ar, ac = x->ac;
    int groups = (i1 - i0 + ROWS - 1) / ROWS;
    const int pblock = sizeof(REAL) == 4 && x->bcs == 1 ? PBLOCK_FLOAT_STORED : PBLOCK; /* see kernels.c */
    /* a transposed (the weight gradient's x^T): each full row group's values of the block copied together, [p][r] */
    int gather = ar == 1 && ac != 1;
    size_t panels_size = ((size_t)pblock * PANEL * ((j1 - j0 + PANEL - 1) / PANEL) + 1 + 63) / 64 * 64;
    size_t gathered_size = gather ? (size_t)(i1 - i0) / ROWS * pblock * ROWS : 0;
    buffers *own = buffers_for((size_t)groups * (k + 3) + (size_t)(k + 31) / 32,
                               (panels_size + gathered_size) * sizeof(REAL));
    if (!own) return -1;
    int *scratch = own->lists;
    REAL *panels = own->panels, *gathered = panels + panels_size;
    /* Per row group: the ascending list of p where any of its rows is non-zero, then a cursor into it. */
    int listed = 0; /* groups whose lists are made */
    /* Where every row group is listed 8 inputs at a time (below): bit p says whether p is in any list (see pack). */
    unsigned char *used = NULL;
#ifdef NONZERO8
    if (ac == 1 && groups > 0 && (i1 - i0) % ROWS == 0 && k % 8 == 0) {
        used = (unsigned char *)(scratch + (size_t)groups * (k + 2));
        memset(used, 0, (size_t)k / 8);
    }
    if (ar == 1 && ac != 1) {
        /* a transposed (the weight gradient's x^T): each stored row holds 8 row groups' values of one p side by side,
         * so one pass along it appends p to the lists of the groups with a non-zero, instead of a strided pass per
         * group. */
        int full = (i1 - i0) / ROWS / 8 * 8;
        for (int g = 0; g < full; g++) scratch[(size_t)g * (k + 2)] = 0;
        for (int p = 0; p < k; p++) {
            const REAL *e = a + (long)p * ac + i0;
            for (int g = 0; g < full; g += 8, e += 8 * ROWS) {
                unsigned nonzero = NONZERO8(e) | (unsigned)NONZERO8(e + 8) << 8 | (unsigned)NONZERO8(e + 16) << 16
                        | (unsigned)NONZERO8(e + 24) << 24;
                unsigned any = nibble_bits(nonzero | nonzero >> 1 | nonzero >> 2 | nonzero >> 3);
                while (any) {
                    int *count = scratch + (size_t)(g + __builtin_ctz(any)) * (k + 2);
                    count[2 + count[0]++] = p;
                    any &= any - 1;
                }
            }
        }
        for (int g = 0; g < full; g++) scratch[(size_t)g * (k + 2) + 1] = 0;
        listed = full;
    }
#endif
    for (int g = listed; g < groups; g++) {
        int i = i0 + g * ROWS, R = i1 - i < ROWS ? i1 - i : ROWS;
        int *list = scratch + (size_t)g * (k + 2) + 2, q = 0;
        if (R == ROWS && ac == 1) { /* the common case, without a multiply per element */
            const REAL *r0 = a + (long)i * ar, *r1 = r0 + ar, *r2 = r1 + ar, *r3 = r2 + ar;
            int p = 0;
#ifdef NONZERO8
            /* 8 inputs at a time: which are non-zero in any row, their indices packed to the front */
            for (; p + 8 <= k; p += 8) {
                unsigned any = NONZERO8(r0 + p) | NONZERO8(r1 + p) | NONZERO8(r2 + p) | NONZERO8(r3 + p);
                COMPRESS8(list + q, any, p);
                q += __builtin_popcount(any);
                if (used) used[p >> 3] |= any;
            }
#endif
            for (; p < k; p++) {
                list[q] = p;
                q += (r0[p] != 0) | (r1[p] != 0) | (r2[p] != 0) | (r3[p] != 0);
            }
        } else if (R == ROWS && ar == 1) { /* a transposed: the group's 4 values of each p are adjacent */
            const REAL *e = a + i;
            for (int p = 0; p < k; p++, e += ac) {
                list[q] = p;
                q += (e[0] != 0) | (e[1] != 0) | (e[2] != 0) | (e[3] != 0);
            }
        } else {
            for (int p = 0; p < k; p++) {
                int any = 0;
                for (int r = 0; r < R; r++) any |= AT(i + r, p) != 0;
                list[q] = p;
                q += any;
            }
        }
        list[-2] = q;
        list[-1] = 0;
    }
    int *starts = scratch + (size_t)groups * (k + 2) + (size_t)(k + 31) / 32; /* each list's first p of the block */
    int full = j0 + (j1 - j0) / PANEL * PANEL; /* the panels' columns end here */
    for (int p0 = 0; p0 < k || p0 == 0; p0 += pblock) {
        int first = p0 == 0, last = p0 + pblock >= k;
        int p1 = last ? k : p0 + pblock;
        pack(x, p0, p1, j0, j1, panels, pblock, used);
        if (gather)
            for (int g = 0; g < (i1 - i0) / ROWS; g++) {
                const REAL *e = a + i0 + g * ROWS + (long)p0 * ac;
                REAL *to = gathered + (size_t)g * pblock * ROWS;
                for (int p = p0; p < p1; p++, e += ac, to += ROWS)
                    for (int r = 0; r < ROWS; r++) to[r] = e[r];
            }
        for (int g = 0; g < groups; g++) {
            int *list = scratch + (size_t)g * (k + 2) + 2, q = list[-2], t1 = list[-1];
            starts[g] = t1;
            while (t1 < q && list[t1] < p0 + pblock) t1++;
            list[-1] = t1;
        }
        /* Panel by panel, every row group through each: the panel stays in the nearest cache while they use it.
         * Where all of the block's panels fit in it at once (a short sum: the weight gradient's batch), row group by
         * row group instead, each through every panel in one call: c and the addend are then read and written row after
         * row. */
        int few = (size_t)(p1 - p0) * (j1 - j0) * sizeof(REAL) <= 16384;
        int outer = few ? groups : 1, inner = few ? 1 : groups;
        for (int go = 0; go < outer; go++)
        for (int j = j0, next; j < j1; j = next) {
            next = few ? j1 : j < full ? j + PANEL : j1;
            const REAL *packed = panels + (size_t)(j - j0) / PANEL * pblock * PANEL;
            for (int gi = 0; gi < inner; gi++) {
                int g = go + gi;
                int i = i0 + g * ROWS, R = i1 - i < ROWS ? i1 - i : ROWS;
                int *list = scratch + (size_t)g * (k + 2) + 2, t0 = starts[g], t1 = list[-1];
                if (t1 == t0 && !first && !last) continue;
                if (R == ROWS && gather) {
                    const REAL *ai = gathered + ((long)g * pblock - p0) * ROWS;
                    row_group(x, ai, 1, ROWS, i, ROWS, j, next, packed, pblock, p0, list + t0, t1 - t0, first, last);
                } else if (R == ROWS) {
                    row_group(x, a + (long)i * ar, ar, ac, i, ROWS, j, next, packed, pblock, p0, list + t0, t1 - t0,
                              first, last);
                } else {
                    for (int r = 0; r < R; r++)
                        row_group(x, a + (long)(i + r) * ar, ar, ac, i + r, 1, j, next, packed, pblock, p0,
                                  list + t0, t1 - t0, first, last);
                }
            }
        }
    }
    return 0;
}

#undef VEC
#undef CVEC
#undef PVEC
#undef FPIECE
#undef step_piece
#undef step_weights
#undef step_tile
#undef tile_result
#undef PIECES
#undef PIECE
#ifdef BROADCAST_HERE
#undef BROADCAST
#undef BROADCAST_HERE
#endif
#undef PANEL
#undef tile
#undef accumulate
#undef single
#undef row_group
#undef pack
#undef pack_transposed
#undef product_part
