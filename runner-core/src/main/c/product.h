/*
 * The product of kernels.c for one instruction set, included once per set with LANES (doubles in a vector) and
 * NAME(f) (the name of f in this copy) and WIDE (vectors across a tile) defined: 4 rows by 4 vectors of 8 on
 * AVX-512's 32 registers, 4 rows by 2 vectors of 4 on AVX2's 16, 4 rows by 2 vectors of 2 in the portable copy (SSE2's
 * or NEON's 16 or 32), so that the tile stays in registers. Only the avx512 copy (LANES 8) uses intrinsics.
 */
#define VEC NAME(vec)
#define PANEL (WIDE * LANES)
#define tile NAME(tile)
#define single NAME(single)
#define row_group NAME(row_group)
#define pack NAME(pack)
#define product_part NAME(product_part)

typedef double VEC __attribute__((vector_size(8 * LANES), aligned(8)));

/*
 * R rows by V vectors of LANES columns from column j, over the p in list[0, q), accumulated in registers. Row p of the
 * right operand's columns [j, j + LANES V) is at bb + p * bs: in b itself, or in a packed copy.
 */
INLINE void tile(const product *x, int i, int j, const double *bb, long bs, const int *list, int q, int R, int V,
                 int first, int last) {
    const double *a = x->a;
    long ar = x->ar, ac = x->ac, n = x->n;
    VEC s[ROWS][WIDE];
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) s[r][v] = first ? (VEC){0} : *(const VEC *)(x->c + (i + r) * n + j + LANES * v);
    for (int t = 0; t < q; t++) {
        int p = list[t];
        const double *bp = bb + p * bs;
        VEC bv[WIDE];
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) bv[v] = *(const VEC *)(bp + LANES * v);
#pragma GCC unroll 4
        for (int r = 0; r < R; r++) {
            double e = AT(i + r, p);
            VEC ev = (VEC){0} + e;
#pragma GCC unroll 4
            for (int v = 0; v < V; v++) s[r][v] += ev * bv[v];
        }
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) {
            long o = (i + r) * n + j + LANES * v;
            VEC out = s[r][v];
            if (last && x->bias) out += *(const VEC *)(x->bias + j + LANES * v);
            if (last && x->addend) out += ((VEC){0} + x->alpha) * *(const VEC *)(x->addend + o);
            *(VEC *)(x->c + o) = out;
        }
}

/* Columns left over after the vectors: one element at a time, in the same order. */
INLINE void single(const product *x, int i, int R, int j0, int j1, const int *list, int q, int first, int last) {
    const double *a = x->a;
    long ar = x->ar, ac = x->ac, n = x->n;
    for (int r = 0; r < R; r++)
        for (int j = j0; j < j1; j++) {
            long o = (i + r) * n + j;
            double s = first ? 0 : x->c[o];
            for (int t = 0; t < q; t++) s += AT(i + r, list[t]) * x->b[list[t] * x->brs + j * x->bcs];
            if (last && x->bias) s += x->bias[j];
            if (last && x->addend) s += x->alpha * x->addend[o];
            x->c[o] = s;
        }
}

/* Rows [i, i + R) of c over the p in list[0, q); packed holds the block's PANEL-column panels of b (see pack). */
INLINE void row_group(const product *x, int i, int R, int j0, int j1, const double *packed, int p0,
                      const int *list, int q, int first, int last) {
    int j = j0;
    for (; j + PANEL <= j1; j += PANEL, packed += PBLOCK * PANEL) {
        if (R == ROWS) tile(x, i, j, packed - (long)p0 * PANEL, PANEL, list, q, ROWS, WIDE, first, last);
        else tile(x, i, j, packed - (long)p0 * PANEL, PANEL, list, q, 1, WIDE, first, last);
    }
    for (; j + LANES <= j1; j += LANES) {
        if (x->bcs != 1) break; /* a vector of b's columns is not contiguous: single columns below */
        if (R == ROWS) tile(x, i, j, x->b + j, x->brs, list, q, ROWS, 1, first, last);
        else tile(x, i, j, x->b + j, x->brs, list, q, 1, 1, first, last);
    }
    if (j < j1) single(x, i, R, j, j1, list, q, first, last);
}

/*
 * Copies rows [p0, p1) of b, columns [j0, j1) in panels of PANEL columns, each panel PBLOCK rows of PANEL contiguous
 * values: the tiles then read consecutive lines. Read in place, rows of b whose length is a power of two fall into
 * the same few cache sets and evict each other.
 */
INLINE void pack(const product *x, int p0, int p1, int j0, int j1, double *packed, const unsigned char *used) {
    for (int j = j0; j + PANEL <= j1; j += PANEL, packed += PBLOCK * PANEL) {
        if (x->bcs == 1) {
            for (int p = p0; p < p1; p++) {
                if (used && !(used[p >> 3] >> (p & 7) & 1)) continue; /* in no row group's list: never read */
                const double *src = x->b + (long)p * x->brs + j;
                double *dst = packed + (long)(p - p0) * PANEL;
                for (int v = 0; v < PANEL; v++) dst[v] = src[v];
            }
        } else { /* b stored transposed: read along its stored rows, one column of the panel at a time */
            for (int v = 0; v < PANEL; v++) {
                const double *src = x->b + (long)(j + v) * x->bcs;
                for (int p = p0; p < p1; p++) packed[(long)(p - p0) * PANEL + v] = src[(long)p * x->brs];
            }
        }
    }
}

/* Rows [i0, i1) and columns [j0, j1) of c; 0 when done, -1 when out of memory. */
static int product_part(const product *x, int k, int i0, int i1, int j0, int j1) {
    const double *a = x->a;
    long ar = x->ar, ac = x->ac;
    int groups = (i1 - i0 + ROWS - 1) / ROWS;
    buffers *own = buffers_for((size_t)groups * (k + 2) + (size_t)(k + 31) / 32, (size_t)PBLOCK * PANEL * ((j1 - j0) / PANEL) + 1);
    if (!own) return -1;
    int *scratch = own->lists;
    double *panels = own->panels;
    /* Per row group: the ascending list of p where any of its rows is non-zero, then a cursor into it. */
    int listed = 0; /* groups whose lists are made */
    /* Where every row group is listed 8 inputs at a time (below): bit p says whether p is in any list (see pack). */
    unsigned char *used = NULL;
#if LANES == 8
    if (ac == 1 && groups > 0 && (i1 - i0) % ROWS == 0 && k % 8 == 0) {
        used = (unsigned char *)(scratch + (size_t)groups * (k + 2));
        memset(used, 0, (size_t)k / 8);
    }
    if (ar == 1 && ac != 1) {
        /* a transposed (the weight gradient's x^T): each stored row holds 8 row groups' values of one p side by side,
         * so one pass along it appends p to the lists of the groups with a non-zero, instead of a strided pass per
         * group. */
        int full = (i1 - i0) / ROWS / 8 * 8;
        const __m512d zero = _mm512_setzero_pd();
        for (int g = 0; g < full; g++) scratch[(size_t)g * (k + 2)] = 0;
        for (int p = 0; p < k; p++) {
            const double *e = a + (long)p * ac + i0;
            for (int g = 0; g < full; g += 8, e += 8 * ROWS) {
                unsigned nonzero = _mm512_cmp_pd_mask(_mm512_loadu_pd(e), zero, _CMP_NEQ_UQ)
                        | (unsigned)_mm512_cmp_pd_mask(_mm512_loadu_pd(e + 8), zero, _CMP_NEQ_UQ) << 8
                        | (unsigned)_mm512_cmp_pd_mask(_mm512_loadu_pd(e + 16), zero, _CMP_NEQ_UQ) << 16
                        | (unsigned)_mm512_cmp_pd_mask(_mm512_loadu_pd(e + 24), zero, _CMP_NEQ_UQ) << 24;
                unsigned any = _pext_u32(nonzero | nonzero >> 1 | nonzero >> 2 | nonzero >> 3, 0x11111111u);
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
            const double *r0 = a + (long)i * ar, *r1 = r0 + ar, *r2 = r1 + ar, *r3 = r2 + ar;
            int p = 0;
#if LANES == 8
            /* 8 inputs at a time: which are non-zero in any row, their indices packed to the front (the compress to
             * a register, then a store: a compress straight to memory is microcoded on some processors). */
            const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            const __m512d zero = _mm512_setzero_pd();
            for (; p + 8 <= k; p += 8) {
                __mmask8 any = _mm512_cmp_pd_mask(_mm512_loadu_pd(r0 + p), zero, _CMP_NEQ_UQ)
                        | _mm512_cmp_pd_mask(_mm512_loadu_pd(r1 + p), zero, _CMP_NEQ_UQ)
                        | _mm512_cmp_pd_mask(_mm512_loadu_pd(r2 + p), zero, _CMP_NEQ_UQ)
                        | _mm512_cmp_pd_mask(_mm512_loadu_pd(r3 + p), zero, _CMP_NEQ_UQ);
                __m256i found = _mm256_maskz_compress_epi32(any, _mm256_add_epi32(lanes, _mm256_set1_epi32(p)));
                _mm256_storeu_si256((__m256i *)(list + q), found);
                q += __builtin_popcount(any);
                if (used) used[p >> 3] |= any;
            }
#endif
            for (; p < k; p++) {
                list[q] = p;
                q += (r0[p] != 0) | (r1[p] != 0) | (r2[p] != 0) | (r3[p] != 0);
            }
        } else if (R == ROWS && ar == 1) { /* a transposed: the group's 4 values of each p are adjacent */
            const double *e = a + i;
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
    for (int p0 = 0; p0 < k || p0 == 0; p0 += PBLOCK) {
        int first = p0 == 0, last = p0 + PBLOCK >= k;
        pack(x, p0, last ? k : p0 + PBLOCK, j0, j1, panels, used);
        for (int g = 0; g < groups; g++) {
            int i = i0 + g * ROWS, R = i1 - i < ROWS ? i1 - i : ROWS;
            int *list = scratch + (size_t)g * (k + 2) + 2, q = list[-2], t0 = list[-1], t1 = t0;
            while (t1 < q && list[t1] < p0 + PBLOCK) t1++;
            list[-1] = t1;
            if (t1 == t0 && !first && !last) continue;
            if (R == ROWS) row_group(x, i, ROWS, j0, j1, panels, p0, list + t0, t1 - t0, first, last);
            else for (int r = 0; r < R; r++) row_group(x, i + r, 1, j0, j1, panels, p0, list + t0, t1 - t0, first, last);
        }
    }
    return 0;
}

#undef VEC
#undef PANEL
#undef tile
#undef single
#undef row_group
#undef pack
#undef product_part
