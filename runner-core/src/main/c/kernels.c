/*
 * Native dense kernels for io.backprop.runner.engine.kernel.NativeDense. One product serves all three of backprop:
 * c[i][j] = sum over p of a(i,p) * b[p][j], where a(i,p) = a[i*ar + p*ac] reads a as stored or transposed.
 *
 * Every sum runs over p in ascending order and leaves out the terms whose a(i,p) is zero, with a separate multiply and
 * add (no fused multiply-add), so the results are the bits of the plain Java loops in Dense, on any machine and for
 * any split of the output between threads. Speed comes from a register tile of 4 rows by 16 columns, blocks of 128
 * values of p whose rows of b are packed into contiguous panels that stay in cache while every row uses them, and
 * lists of the p that are non-zero in a row group.
 */
#include <jni.h>
#include <stdlib.h>

typedef double v4d __attribute__((vector_size(32), aligned(8)));

#define ROWS 4
#define PBLOCK 128
#define INLINE static inline __attribute__((always_inline))
#define AT(i, p) a[(long)(i) * ar + (long)(p) * ac]

typedef struct {
    const double *a, *b, *bias, *addend;
    double *c;
    long ar, ac;
    int n;
    double alpha;
} product;

/*
 * R rows by V vectors of 4 columns from column j, over the p in list[0, q), accumulated in registers. Row p of the
 * right operand's columns [j, j + 4V) is at bb + p * bs: in b itself, or in a packed copy.
 */
INLINE void tile(const product *x, int i, int j, const double *bb, long bs, const int *list, int q, int R, int V,
                 int first, int last) {
    const double *a = x->a;
    long ar = x->ar, ac = x->ac, n = x->n;
    v4d s[ROWS][4];
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) s[r][v] = first ? (v4d){0, 0, 0, 0} : *(const v4d *)(x->c + (i + r) * n + j + 4 * v);
    for (int t = 0; t < q; t++) {
        int p = list[t];
        const double *bp = bb + p * bs;
        v4d bv[4];
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) bv[v] = *(const v4d *)(bp + 4 * v);
#pragma GCC unroll 4
        for (int r = 0; r < R; r++) {
            double e = AT(i + r, p);
            v4d ev = {e, e, e, e};
#pragma GCC unroll 4
            for (int v = 0; v < V; v++) s[r][v] += ev * bv[v];
        }
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) {
            long o = (i + r) * n + j + 4 * v;
            v4d out = s[r][v];
            if (last && x->bias) out += *(const v4d *)(x->bias + j + 4 * v);
            if (last && x->addend) out += (v4d){x->alpha, x->alpha, x->alpha, x->alpha} * *(const v4d *)(x->addend + o);
            *(v4d *)(x->c + o) = out;
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
            for (int t = 0; t < q; t++) s += AT(i + r, list[t]) * x->b[list[t] * n + j];
            if (last && x->bias) s += x->bias[j];
            if (last && x->addend) s += x->alpha * x->addend[o];
            x->c[o] = s;
        }
}

/* Rows [i, i + R) of c over the p in list[0, q); packed holds the block's 16-column panels of b (see pack). */
INLINE void row_group(const product *x, int i, int R, int j0, int j1, const double *packed, int p0,
                      const int *list, int q, int first, int last) {
    int j = j0;
    for (; j + 16 <= j1; j += 16, packed += PBLOCK * 16) {
        if (R == ROWS) tile(x, i, j, packed - (long)p0 * 16, 16, list, q, ROWS, 4, first, last);
        else tile(x, i, j, packed - (long)p0 * 16, 16, list, q, 1, 4, first, last);
    }
    for (; j + 4 <= j1; j += 4) {
        if (R == ROWS) tile(x, i, j, x->b + j, x->n, list, q, ROWS, 1, first, last);
        else tile(x, i, j, x->b + j, x->n, list, q, 1, 1, first, last);
    }
    if (j < j1) single(x, i, R, j, j1, list, q, first, last);
}

/*
 * Copies rows [p0, p1) of b, columns [j0, j1) in panels of 16 columns, each panel PBLOCK rows of 16 contiguous
 * values: the tiles then read consecutive lines. Read in place, rows of b whose length is a power of two fall into
 * the same few cache sets and evict each other.
 */
INLINE void pack(const product *x, int p0, int p1, int j0, int j1, double *packed) {
    for (int j = j0; j + 16 <= j1; j += 16, packed += PBLOCK * 16)
        for (int p = p0; p < p1; p++) {
            const double *src = x->b + (long)p * x->n + j;
            double *dst = packed + (long)(p - p0) * 16;
            for (int v = 0; v < 16; v++) dst[v] = src[v];
        }
}

static __thread int *scratch;
static __thread size_t scratch_size;
static __thread double *panels;
static __thread size_t panels_size;

/* Rows [i0, i1) and columns [j0, j1) of c; 0 when done, -1 when out of memory. */
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
static int product_part(const product *x, int k, int i0, int i1, int j0, int j1) {
    const double *a = x->a;
    long ar = x->ar, ac = x->ac;
    int groups = (i1 - i0 + ROWS - 1) / ROWS;
    size_t need = (size_t)groups * (k + 2);
    if (need > scratch_size) {
        free(scratch);
        scratch = malloc(need * sizeof(int));
        scratch_size = scratch ? need : 0;
        if (!scratch) return -1;
    }
    size_t panel_need = (size_t)PBLOCK * 16 * ((j1 - j0) / 16) + 1;
    if (panel_need > panels_size) {
        free(panels);
        panels = malloc(panel_need * sizeof(double));
        panels_size = panels ? panel_need : 0;
        if (!panels) return -1;
    }
    /* Per row group: the ascending list of p where any of its rows is non-zero, then a cursor into it. */
    for (int g = 0; g < groups; g++) {
        int i = i0 + g * ROWS, R = i1 - i < ROWS ? i1 - i : ROWS;
        int *list = scratch + (size_t)g * (k + 2) + 2, q = 0;
        if (R == ROWS && ac == 1) { /* the common case, without a multiply per element */
            const double *r0 = a + (long)i * ar, *r1 = r0 + ar, *r2 = r1 + ar, *r3 = r2 + ar;
            for (int p = 0; p < k; p++) {
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
        pack(x, p0, last ? k : p0 + PBLOCK, j0, j1, panels);
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

/* The instruction set whose clone of product_part runs here, by the checks of gcc's resolver. */
static const char *isa(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512cd")
            && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) return "x86-64-v4";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2")) return "x86-64-v3";
    return "x86-64";
}

JNIEXPORT jstring JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_isa(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, isa());
}

JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_product(JNIEnv *env, jclass cls,
        jdoubleArray a, jint ar, jint ac, jdoubleArray b, jdoubleArray c, jint k, jint n,
        jint i0, jint i1, jint j0, jint j1, jdoubleArray bias, jdoubleArray addend, jdouble alpha) {
    (void)cls;
    product x = {0};
    x.ar = ar;
    x.ac = ac;
    x.n = n;
    x.alpha = alpha;
    double *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    double *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    double *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    double *pbias = bias ? (*env)->GetPrimitiveArrayCritical(env, bias, NULL) : NULL;
    double *padd = addend ? (*env)->GetPrimitiveArrayCritical(env, addend, NULL) : NULL;
    int ok = pa && pb && pc && (!bias || pbias) && (!addend || padd);
    if (ok) {
        x.a = pa;
        x.b = pb;
        x.c = pc;
        x.bias = pbias;
        x.addend = padd;
        ok = product_part(&x, k, i0, i1, j0, j1) == 0;
    }
    if (padd) (*env)->ReleasePrimitiveArrayCritical(env, addend, padd, JNI_ABORT);
    if (pbias) (*env)->ReleasePrimitiveArrayCritical(env, bias, pbias, JNI_ABORT);
    if (pc) (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    if (pb) (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    if (pa) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    return ok ? JNI_TRUE : JNI_FALSE;
}

/* dst[j][i] = src[i][j] for the rows [r0, r1) of src (rows x cols). */
JNIEXPORT void JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_transposeRows(JNIEnv *env, jclass cls,
        jdoubleArray src, jint rows, jint cols, jdoubleArray dst, jint r0, jint r1) {
    (void)cls;
    double *s = (*env)->GetPrimitiveArrayCritical(env, src, NULL);
    double *d = (*env)->GetPrimitiveArrayCritical(env, dst, NULL);
    if (s && d) {
        for (int i = r0; i < r1; i += 8) {
            int ie = i + 8 < r1 ? i + 8 : r1;
            for (int j = 0; j < cols; j++)
                for (int ii = i; ii < ie; ii++) d[(long)j * rows + ii] = s[(long)ii * cols + j];
        }
    }
    if (d) (*env)->ReleasePrimitiveArrayCritical(env, dst, d, 0);
    if (s) (*env)->ReleasePrimitiveArrayCritical(env, src, s, JNI_ABORT);
}
