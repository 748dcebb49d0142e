/*
 * The native dense kernels (kernels.h): one product serves all three of backprop, reading each operand as stored or
 * transposed, so no transpose is ever made; both may start at an offset (the forward product sums the two halves of
 * its inputs apart). kernels_jni.c binds it to io.backprop.runner.engine.kernel.NativeDense.
 *
 * Every sum, double or float, starts at +0 and takes a(i,p) * b(p,j) for p ascending: fused, s = fma(a(i,p), b(p,j),
 * s) with one rounding, in the copies whose processors have FMA (avx512, avx2, and portable on aarch64), or a
 * separate multiply and add in the one that has not (portable on x86-64: SSE2 has no FMA, and a software fma is far
 * too slow). The fused copies say so by explicit intrinsics and fma/fmaf, never by contraction (the build passes
 * -ffp-contract=off, and the pragma below says so to clang as well; no -ffast-math, so no reassociation and no flush
 * of subnormals), so a column left over after the vectors has the bits of one inside them; kernels_fused tells the
 * caller which, and the Java kernels (Dense) then do the same, so Java and native give the same bits in one process.
 * Then bias[j], then alpha * addend[i][j]. A float sum (float32 training) is a float, widened to double as it is
 * written, and takes bias and addend in double.
 * Either way: the vectors only hold several j side by side, each lane its own sum in that order, and the tiles and p
 * blocks only change which sums are in progress, never the order within one (a float partial sum kept in the double c
 * between p blocks comes back exactly); so any split of the output between threads gives the same bits. Which zero
 * terms are added differs (Dense's mult and multTransA leave out every zero a(i,p), its multTransB none, these kernels
 * those zero in every row of a row group); a sum that starts at +0 is never -0, so adding a zero product, fused or
 * not, changes no bit while b(p,j) is finite (0 * inf and 0 * NaN are NaN; training's inputs and weights are finite).
 * A NaN that an overflowing sum makes (inf - inf) has the sign its processor gives it, set on x86-64 and clear on
 * aarch64, in Java as in C; src/test/c checks every copy, bit for bit, on both.
 *
 * The copies: avx512 (x86-64-v4: 4 rows by 4 vectors of 8 doubles or 16 floats) and avx2 (x86-64-v3: 4 rows by 3
 * vectors of 4 doubles or 8 floats), x86-64 only; and portable, the same product.h in plain C with GCC vector
 * extensions of 2 doubles or 4 floats (4 rows by 2 vectors), which gcc and clang compile to SSE2 on x86-64 and to
 * Advanced SIMD (NEON) on aarch64. Speed comes from the register tile (product.h), blocks of 128 values of p (256
 * for floats) whose rows of b are packed into contiguous panels, each of which stays in a near cache while every row
 * group uses it (a transposed has each row group's values of the block gathered too), and lists of the p that are
 * non-zero in a row group.
 */
#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define ROWS 4
/* Values of p in a block: 128, or 256 for float operands with b read as stored (the forward product). The forward
 * products over a layer's inputs (784 on MNIST) then cross half as many blocks, at each of which every sum is written
 * out and read back; such a block's panel (64 KiB on avx512) overflows the level-1 cache, but not the level-2. With
 * b transposed, packing 256 rows of it was slower than the blocks it saved. */
#define PBLOCK 128
#define PBLOCK_FLOAT_STORED 256
#define INLINE static inline __attribute__((always_inline))
#define AT(i, p) a[(long)(i) * ar + (long)(p) * ac]

/* Each thread's buffers: grown when a product needs more, freed when the thread ends (see kernels_init). */
typedef struct {
    int *lists;
    size_t lists_size;
    void *panels;
    size_t panels_size; /* bytes */
} buffers;

static pthread_key_t buffers_key;

static void free_buffers(void *p) {
    buffers *b = p;
    free(b->lists);
    free(b->panels);
    free(b);
}

/* This thread's buffers, with room for the given number of ints and of bytes of panels; NULL when out of memory. */
static buffers *buffers_for(size_t lists, size_t panels) {
    buffers *b = pthread_getspecific(buffers_key);
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b || pthread_setspecific(buffers_key, b)) {
            free(b);
            return NULL;
        }
    }
    if (lists > b->lists_size) {
        free(b->lists);
        b->lists = malloc(lists * sizeof(int));
        b->lists_size = b->lists ? lists : 0;
        if (!b->lists) return NULL;
    }
    if (panels > b->panels_size) {
        free(b->panels);
        /* on cache lines: a vector of a panel is then never split across two */
        if (posix_memalign(&b->panels, 64, panels)) b->panels = NULL;
        b->panels_size = b->panels ? panels : 0;
        if (!b->panels) return NULL;
    }
    return b;
}

/* Each row's sum of squares as Java's Dense.sumOfSquares adds it: eight interleaved sums (lane k takes the values
 * k, k + 8, ... of the row), the leftover values added to the first in order, then ((s0 + s1) + (s2 + s3)) +
 * ((s4 + s5) + (s6 + s7)); every multiply and add apart, never fused. Inlined into each copy below, compiled for
 * its instruction set. */
INLINE void row_squares(const double *x, long n, long rows, double *out) {
    typedef double v8 __attribute__((vector_size(64), aligned(8)));
    for (long r = 0; r < rows; r++, x += n) {
        v8 s = {0};
        long j = 0;
        for (; j + 8 <= n; j += 8) {
            v8 v = *(const v8 *)(x + j);
            s += v * v;
        }
        double s0 = s[0];
        for (; j < n; j++) s0 += x[j] * x[j];
        out[r] = ((s0 + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }
}

/* The plain step (kernels.h) of the weight of row i, column j of n, whose gradient is g; as product.h's step_piece. */
INLINE void step_one(double *step, float *step32, double *squares, double rate, long n, long i, long j, double g) {
    long o = i * n + j, whole = n / 8 * 8;
    double w = step[o] - rate * g;
    step[o] = w;
    if (step32) step32[o] = (float)w;
    squares[i * 8 + (j < whole ? j % 8 : 0)] += g * g;
}

#if defined(__x86_64__)
/* Bits 0, 4, ..., 28 of m as bits 0 to 7 (what pext with 0x11111111 gives, which is microcoded on Zen 2). */
INLINE unsigned nibble_bits(unsigned m) {
    m &= 0x11111111u;
    m = (m | m >> 3) & 0x03030303u;
    m = (m | m >> 6) & 0x000f000fu;
    return (m | m >> 12) & 0xffu;
}

/* For each 8-bit mask, the indices of its set bits, ascending (filled by kernels_init): AVX2's compress. */
static unsigned char set_bits[256][8];

static void fill_set_bits(void) {
    for (int m = 0; m < 256; m++)
        for (int l = 0, q = 0; l < 8; l++)
            if (m >> l & 1) set_bits[m][q++] = (unsigned char)l;
}
#endif

/*
 * One copy of the product per instruction set and operand type, each compiled for its own (gcc's target pragma,
 * clang's attribute pragma); the widest the processor runs is used. Fused where the instruction set has FMA, by
 * explicit intrinsics in the vectors and fma/fmaf in the leftover columns (not by contraction, which -ffp-contract=off
 * forbids), so that a column has the same bits in either.
 */
#define UNFUSED(s, e, b) ((s) + (e) * (b))

#if defined(__x86_64__)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512cd,avx512dq,avx512vl,avx2,fma,bmi,bmi2,lzcnt,popcnt,movbe"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("arch=x86-64-v4")
#endif
/* The 4 x 4 128-bit lanes of v[0] to v[3] transposed in place: lane l of v[i] to lane i of v[l]. */
static inline void transpose_lanes_avx512(__m512d v[4]) {
    __m512d s0 = _mm512_shuffle_f64x2(v[0], v[1], 0x44), s1 = _mm512_shuffle_f64x2(v[0], v[1], 0xee);
    __m512d s2 = _mm512_shuffle_f64x2(v[2], v[3], 0x44), s3 = _mm512_shuffle_f64x2(v[2], v[3], 0xee);
    v[0] = _mm512_shuffle_f64x2(s0, s2, 0x88);
    v[1] = _mm512_shuffle_f64x2(s0, s2, 0xdd);
    v[2] = _mm512_shuffle_f64x2(s1, s3, 0x88);
    v[3] = _mm512_shuffle_f64x2(s1, s3, 0xdd);
}

/*
 * The 8 x 8 doubles of rows src, src + ss, ... into rows dst, dst + ds, ... transposed: pairs of rows interleaved
 * (each 128-bit lane then holds one column's 2 values of 2 rows), then the lanes moved across.
 */
static inline void transpose_avx512(const double *src, long ss, double *dst, long ds) {
    __m512d r[8], t[8];
    for (int i = 0; i < 8; i++) r[i] = _mm512_loadu_pd(src + i * ss);
    /* t[2m + k]: in lane l, column 2l + k of rows 2m and 2m + 1 */
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm512_unpacklo_pd(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_pd(r[i], r[i + 1]);
    }
    for (int k = 0; k < 2; k++) {
        __m512d v[4] = {t[k], t[2 + k], t[4 + k], t[6 + k]};
        transpose_lanes_avx512(v); /* v[l]: column 2l + k */
        for (int l = 0; l < 4; l++) _mm512_storeu_pd(dst + (2 * l + k) * ds, v[l]);
    }
}

/* The compress to a register, then a store: a compress straight to memory is microcoded on some processors. */
static inline void compress8_avx512(int *dst, unsigned mask, int p) {
    __m256i lanes = _mm256_add_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(p));
    _mm256_storeu_si256((__m256i *)dst, _mm256_maskz_compress_epi32((__mmask8)mask, lanes));
}

#define REAL double
#define PRODUCT product
#define LANES 8
#define WIDE 4
#define NAME(f) f##_avx512
#define TRANSPOSE transpose_avx512
#define MADD(s, e, b) ((VEC)_mm512_fmadd_pd((__m512d)(e), (__m512d)(b), (__m512d)(s)))
#define MADD1(s, e, b) __builtin_fma(e, b, s)
#define BROADCAST(e) ((VEC)_mm512_set1_pd(e))
#define NONZERO8(p) _mm512_cmp_pd_mask(_mm512_loadu_pd(p), _mm512_setzero_pd(), _CMP_NEQ_UQ)
#define COMPRESS8 compress8_avx512
#include "product.h"
#undef COMPRESS8
#undef TRANSPOSE
#undef NONZERO8
#undef BROADCAST
#undef MADD1
#undef MADD
#undef NAME
#undef WIDE
#undef LANES
#undef PRODUCT
#undef REAL

/*
 * The 16 x 16 floats of rows src, src + ss, ... into rows dst, dst + ds, ... transposed: pairs of rows interleaved,
 * then pairs of pairs (each 128-bit lane then holds one column's 4 values of 4 rows), then the lanes moved across.
 */
static inline void transpose_avx512_float(const float *src, long ss, float *dst, long ds) {
    __m512 r[16], t[16];
    for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(src + i * ss);
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    /* r[g + k] then: in lane l, column 4l + k of rows g to g + 3 */
    for (int g = 0; g < 16; g += 4) {
        __m512d t0 = _mm512_castps_pd(t[g]), t1 = _mm512_castps_pd(t[g + 1]);
        __m512d t2 = _mm512_castps_pd(t[g + 2]), t3 = _mm512_castps_pd(t[g + 3]);
        r[g] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
        r[g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
        r[g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
        r[g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
    }
    for (int k = 0; k < 4; k++) {
        __m512d v[4] = {_mm512_castps_pd(r[k]), _mm512_castps_pd(r[4 + k]), _mm512_castps_pd(r[8 + k]),
                        _mm512_castps_pd(r[12 + k])};
        transpose_lanes_avx512(v); /* v[l]: column 4l + k */
        for (int l = 0; l < 4; l++) _mm512_storeu_ps(dst + (4 * l + k) * ds, _mm512_castpd_ps(v[l]));
    }
}

#define REAL float
#define PRODUCT product_float
#define LANES 16
#define WIDE 4
#define NAME(f) f##_avx512_float
#define TRANSPOSE transpose_avx512_float
#define MADD(s, e, b) ((VEC)_mm512_fmadd_ps((__m512)(e), (__m512)(b), (__m512)(s)))
#define MADD1(s, e, b) __builtin_fmaf(e, b, s)
#define BROADCAST(e) ((VEC)_mm512_set1_ps(e))
#define NONZERO8(p) _mm256_cmp_ps_mask(_mm256_loadu_ps(p), _mm256_setzero_ps(), _CMP_NEQ_UQ)
#define COMPRESS8 compress8_avx512
#include "product.h"
#undef COMPRESS8
#undef TRANSPOSE
#undef NONZERO8
#undef BROADCAST
#undef MADD1
#undef MADD
#undef NAME
#undef WIDE
#undef LANES
#undef PRODUCT
#undef REAL
/* The nearest float to each double, as Java's (float) cast: the compiler vectorises the loop for this copy. */
static void narrow_avx512(const double *from, float *to, long n) {
    for (long i = 0; i < n; i++) to[i] = (float)from[i];
}

static void row_squares_avx512(const double *x, long n, long rows, double *out) {
    row_squares(x, n, rows, out);
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,bmi,bmi2,lzcnt,popcnt,movbe"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("arch=x86-64-v3")
#endif
static inline void compress8_avx2(int *dst, unsigned mask, int p) {
    __m256i lanes = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)set_bits[mask]));
    _mm256_storeu_si256((__m256i *)dst, _mm256_add_epi32(lanes, _mm256_set1_epi32(p)));
}

static inline unsigned nonzero4_avx2(const double *p) {
    return (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(p), _mm256_setzero_pd(), _CMP_NEQ_UQ));
}

#define REAL double
#define PRODUCT product
#define LANES 4
#define WIDE 3
#define NAME(f) f##_avx2
#define MADD(s, e, b) ((VEC)_mm256_fmadd_pd((__m256d)(e), (__m256d)(b), (__m256d)(s)))
#define MADD1(s, e, b) __builtin_fma(e, b, s)
#define BROADCAST(e) ((VEC)_mm256_set1_pd(e))
#define NONZERO8(p) (nonzero4_avx2(p) | nonzero4_avx2((p) + 4) << 4)
#define COMPRESS8 compress8_avx2
#include "product.h"
#undef COMPRESS8
#undef NONZERO8
#undef BROADCAST
#undef MADD1
#undef MADD
#undef NAME
#undef WIDE
#undef LANES
#undef PRODUCT
#undef REAL

#define REAL float
#define PRODUCT product_float
#define LANES 8
#define WIDE 3
#define NAME(f) f##_avx2_float
#define MADD(s, e, b) ((VEC)_mm256_fmadd_ps((__m256)(e), (__m256)(b), (__m256)(s)))
#define MADD1(s, e, b) __builtin_fmaf(e, b, s)
#define BROADCAST(e) ((VEC)_mm256_set1_ps(e))
#define NONZERO8(p) ((unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(p), _mm256_setzero_ps(), _CMP_NEQ_UQ)))
#define COMPRESS8 compress8_avx2
#include "product.h"
#undef COMPRESS8
#undef NONZERO8
#undef BROADCAST
#undef MADD1
#undef MADD
#undef NAME
#undef WIDE
#undef LANES
#undef PRODUCT
#undef REAL
/* The nearest float to each double, as Java's (float) cast: the compiler vectorises the loop for this copy. */
static void narrow_avx2(const double *from, float *to, long n) {
    for (long i = 0; i < n; i++) to[i] = (float)from[i];
}

static void row_squares_avx2(const double *x, long n, long rows, double *out) {
    row_squares(x, n, rows, out);
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

#define REAL double
#define PRODUCT product
#define LANES 2
#define WIDE 2
#define NAME(f) f##_portable
#if defined(__aarch64__)
#define PORTABLE_FUSED 1
#define MADD(s, e, b) ((VEC)vfmaq_f64((float64x2_t)(s), (float64x2_t)(e), (float64x2_t)(b)))
#define MADD1(s, e, b) __builtin_fma(e, b, s)
#define BROADCAST(e) ((VEC)vdupq_n_f64(e))
#else
#define PORTABLE_FUSED 0 /* SSE2 has no fused multiply-add, and a software fma is many times slower */
#define MADD UNFUSED
#define MADD1 UNFUSED
#endif
#include "product.h"
#undef BROADCAST
#undef MADD1
#undef MADD
#undef NAME
#undef WIDE
#undef LANES
#undef PRODUCT
#undef REAL

#define REAL float
#define PRODUCT product_float
#define LANES 4
#define WIDE 2
#define NAME(f) f##_portable_float
#if PORTABLE_FUSED
#define MADD(s, e, b) ((VEC)vfmaq_f32((float32x4_t)(s), (float32x4_t)(e), (float32x4_t)(b)))
#define MADD1(s, e, b) __builtin_fmaf(e, b, s)
#define BROADCAST(e) ((VEC)vdupq_n_f32(e))
#else
#define MADD UNFUSED
#define MADD1 UNFUSED
#endif
#include "product.h"
#undef BROADCAST
#undef MADD1
#undef MADD
#undef NAME
#undef WIDE
#undef LANES
#undef PRODUCT
#undef REAL

static void narrow_portable(const double *from, float *to, long n) {
    for (long i = 0; i < n; i++) to[i] = (float)from[i];
}

static void row_squares_portable(const double *x, long n, long rows, double *out) {
    row_squares(x, n, rows, out);
}

typedef int (*product_fn)(const product *x, int k, int i0, int i1, int j0, int j1);
typedef int (*product_float_fn)(const product_float *x, int k, int i0, int i1, int j0, int j1);

/* A copy: its double and float products, and whether they fuse. */
typedef struct {
    product_fn product;
    product_float_fn product_float;
    int fused;
    void (*narrow)(const double *from, float *to, long n);
    void (*row_squares)(const double *x, long n, long rows, double *out);
} copy_fns;

const char *const kernels_copies[] = {
#if defined(__x86_64__)
    "avx512", "avx2",
#endif
    "portable", NULL};

static copy_fns in_use;
static const char *product_copy;

/* The copy named copy if this processor runs it (gcc's and clang's checks of x86-64-v4 and v3), else NULLs. */
static copy_fns runnable(const char *copy) {
    const copy_fns none = {NULL, NULL, 0, NULL, NULL};
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (!strcmp(copy, "avx512")) {
        int ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512cd")
                && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2")
                && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
        const copy_fns avx512 = {product_part_avx512, product_part_avx512_float, 1, narrow_avx512, row_squares_avx512};
        return ok ? avx512 : none;
    }
    if (!strcmp(copy, "avx2")) {
        int ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
        const copy_fns avx2 = {product_part_avx2, product_part_avx2_float, 1, narrow_avx2, row_squares_avx2};
        return ok ? avx2 : none;
    }
#endif
    const copy_fns portable = {product_part_portable, product_part_portable_float, PORTABLE_FUSED, narrow_portable,
                                    row_squares_portable};
    return strcmp(copy, "portable") ? none : portable;
}

int kernels_use(const char *copy) {
    for (int i = 0; kernels_copies[i]; i++) {
        if (strcmp(copy, kernels_copies[i])) continue;
        copy_fns f = runnable(kernels_copies[i]);
        if (!f.product) return 0;
        in_use = f;
        product_copy = kernels_copies[i]; /* a literal, unlike copy */
        return 1;
    }
    return 0;
}

const char *kernels_copy(void) {
    return product_copy;
}

int kernels_init(void) {
    static int done;
    if (done) return 0;
    if (pthread_key_create(&buffers_key, free_buffers)) return -1;
#if defined(__x86_64__)
    fill_set_bits();
#endif
    done = 1;
    for (int i = 0; kernels_copies[i]; i++) if (kernels_use(kernels_copies[i])) break;
    return 0;
}

int kernels_product(const product *x, int k, int i0, int i1, int j0, int j1) {
    return in_use.product(x, k, i0, i1, j0, j1);
}

int kernels_product_float(const product_float *x, int k, int i0, int i1, int j0, int j1) {
    return in_use.product_float(x, k, i0, i1, j0, j1);
}

void kernels_narrow(const double *from, float *to, long n) {
    in_use.narrow(from, to, n);
}

void kernels_row_squares(const double *x, long n, long rows, double *out) {
    in_use.row_squares(x, n, rows, out);
}

int kernels_fused(void) {
    return in_use.fused;
}
