/*
 * The native dense kernels (kernels.h): one product serves all three of backprop, reading each operand as stored or
 * transposed, so no transpose is ever made; both may start at an offset (the forward product sums the two halves of
 * its inputs apart). kernels_jni.c binds it to io.backprop.runner.engine.kernel.NativeDense.
 *
 * Same bits as the Java kernels (Dense), in every copy: each c[i][j] starts at +0 and adds a(i,p) * b(p,j) for p
 * ascending, a separate multiply and add (no fused multiply-add: the build passes -ffp-contract=off, and the pragma
 * below says so to clang as well; no -ffast-math, so no reassociation and no flush of subnormals), then bias[j], then
 * alpha * addend[i][j]. The vectors only hold several j side by side, each lane its own sum in that order, and the
 * tiles and p blocks only change which sums are in progress, never the order within one; so any split of the output
 * between threads gives the same bits. Which zero terms are added differs (Dense's mult and multTransA leave out every
 * zero a(i,p), its multTransB none, these kernels those zero in every row of a row group); a sum that starts at +0 is
 * never -0, so adding a zero product changes no bit while b(p,j) is finite (0 * inf and 0 * NaN are NaN; training's
 * inputs and weights are finite). A NaN that an overflowing sum makes (inf - inf) has the sign its processor gives
 * it, set on x86-64 and clear on aarch64, in Java as in C; src/test/c checks every copy, bit for bit, on both.
 *
 * The copies: avx512 (x86-64-v4: 4 rows by 4 vectors of 8) and avx2 (x86-64-v3: 4 rows by 2 vectors of 4), x86-64
 * only; and portable, the same product.h in plain C with GCC vector extensions of 2 doubles (4 rows by 2 vectors),
 * which gcc and clang compile to SSE2 on x86-64 and to Advanced SIMD (NEON) on aarch64. Speed comes from the register
 * tile (product.h), blocks of 128 values of p whose rows of b are packed into contiguous panels that stay in cache
 * while every row uses them, and lists of the p that are non-zero in a row group.
 */
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define ROWS 4
#define PBLOCK 128
#define INLINE static inline __attribute__((always_inline))
#define AT(i, p) a[(long)(i) * ar + (long)(p) * ac]

/* Each thread's buffers: grown when a product needs more, freed when the thread ends (see kernels_init). */
typedef struct {
    int *lists;
    size_t lists_size;
    double *panels;
    size_t panels_size;
} buffers;

static pthread_key_t buffers_key;

static void free_buffers(void *p) {
    buffers *b = p;
    free(b->lists);
    free(b->panels);
    free(b);
}

/* This thread's buffers, with room for the given numbers of ints and doubles; NULL when out of memory. */
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
        b->panels = malloc(panels * sizeof(double));
        b->panels_size = b->panels ? panels : 0;
        if (!b->panels) return NULL;
    }
    return b;
}

/*
 * One copy of the product per instruction set, each compiled for its own (gcc's target pragma, clang's attribute
 * pragma); the widest the processor runs is used.
 */
#if defined(__x86_64__)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512cd,avx512dq,avx512vl,avx2,fma,bmi,bmi2,lzcnt,popcnt,movbe"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("arch=x86-64-v4")
#endif
#define LANES 8
#define WIDE 4
#define NAME(f) f##_avx512
#include "product.h"
#undef NAME
#undef WIDE
#undef LANES
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
#define LANES 4
#define WIDE 2
#define NAME(f) f##_avx2
#include "product.h"
#undef NAME
#undef WIDE
#undef LANES
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

#define LANES 2
#define WIDE 2
#define NAME(f) f##_portable
#include "product.h"
#undef NAME
#undef WIDE
#undef LANES

typedef int (*product_fn)(const product *x, int k, int i0, int i1, int j0, int j1);

const char *const kernels_copies[] = {
#if defined(__x86_64__)
    "avx512", "avx2",
#endif
    "portable", NULL};

static product_fn product_part;
static const char *product_copy;

/* The copy named copy if this processor runs it (gcc's and clang's checks of x86-64-v4 and v3), else NULL. */
static product_fn runnable(const char *copy) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (!strcmp(copy, "avx512")) {
        int ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512cd")
                && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2")
                && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
        return ok ? product_part_avx512 : NULL;
    }
    if (!strcmp(copy, "avx2")) {
        int ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
        return ok ? product_part_avx2 : NULL;
    }
#endif
    return strcmp(copy, "portable") ? NULL : product_part_portable;
}

int kernels_use(const char *copy) {
    for (int i = 0; kernels_copies[i]; i++) {
        if (strcmp(copy, kernels_copies[i])) continue;
        product_fn f = runnable(kernels_copies[i]);
        if (!f) return 0;
        product_part = f;
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
    done = 1;
    for (int i = 0; kernels_copies[i]; i++) if (kernels_use(kernels_copies[i])) break;
    return 0;
}

int kernels_product(const product *x, int k, int i0, int i1, int j0, int j1) {
    return product_part(x, k, i0, i1, j0, j1);
}
