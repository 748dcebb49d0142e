/*
 * Native dense kernels for io.backprop.runner.engine.kernel.NativeDense. One product serves all three of backprop:
 * c[i][j] = sum over p of a(i,p) * b(p,j), where a(i,p) = a[i*ar + p*ac] and b(p,j) = b[p*brs + j*bcs] read each
 * operand as stored or transposed, so no transpose is ever made; both may start at an offset (the forward product
 * sums the two halves of its inputs apart).
 *
 * Every sum runs over p in ascending order and leaves out the terms whose a(i,p) is zero, with a separate multiply and
 * add (no fused multiply-add), so the results are the bits of the plain Java loops in Dense, on any machine and for
 * any split of the output between threads. Speed comes from a register tile of 4 rows by 4 vectors (product.h),
 * blocks of 128 values of p whose rows of b are packed into contiguous panels that stay in cache while every row uses
 * them, and lists of the p that are non-zero in a row group.
 */
#include <immintrin.h>
#include <jni.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 4
#define PBLOCK 128
#define INLINE static inline __attribute__((always_inline))
#define AT(i, p) a[(long)(i) * ar + (long)(p) * ac]

typedef struct {
    const double *a, *b, *bias, *addend;
    double *c;
    long ar, ac, brs, bcs;
    int n; /* columns of c */
    double alpha;
} product;

/* Each thread's buffers: grown when a product needs more, freed when the thread ends (see JNI_OnLoad). */
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

/* One copy of the product per instruction set, each compiled for its own; the widest the processor runs is used. */
#pragma GCC push_options
#pragma GCC target("arch=x86-64-v4")
#define LANES 8
#define WIDE 4
#define NAME(f) f##_v4
#include "product.h"
#undef NAME
#undef WIDE
#undef LANES
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("arch=x86-64-v3")
#define LANES 4
#define WIDE 2
#define NAME(f) f##_v3
#include "product.h"
#undef NAME
#undef WIDE
#undef LANES
#pragma GCC pop_options

#define LANES 2
#define WIDE 2
#define NAME(f) f##_base
#include "product.h"
#undef NAME
#undef WIDE
#undef LANES

typedef int (*product_fn)(const product *x, int k, int i0, int i1, int j0, int j1);
static product_fn product_part;
static const char *product_isa;

/* Makes the copy for instruction set isa the one in use; 0 if this processor cannot run it (gcc's x86-64-v3/v4 checks). */
static int use(const char *isa) {
    __builtin_cpu_init();
    if (!strcmp(isa, "x86-64-v4") && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
        product_part = product_part_v4;
    } else if (!strcmp(isa, "x86-64-v3") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
            && __builtin_cpu_supports("bmi2")) {
        product_part = product_part_v3;
    } else if (!strcmp(isa, "x86-64")) {
        product_part = product_part_base;
    } else {
        return 0;
    }
    product_isa = isa;
    return 1;
}

/* The widest copy this processor runs, chosen once when the library loads. */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)vm;
    (void)reserved;
    if (pthread_key_create(&buffers_key, free_buffers)) return JNI_ERR;
    if (!use("x86-64-v4") && !use("x86-64-v3")) use("x86-64");
    return JNI_VERSION_1_8;
}

/* For tests of every copy: switches to the copy for the named instruction set, if this processor runs it. */
JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_useIsa(JNIEnv *env, jclass cls, jstring name) {
    (void)cls;
    const char *wanted = (*env)->GetStringUTFChars(env, name, NULL);
    if (!wanted) return JNI_FALSE;
    static const char *const known[] = {"x86-64-v4", "x86-64-v3", "x86-64"};
    int ok = 0;
    for (int i = 0; i < 3; i++) if (!strcmp(wanted, known[i])) ok = use(known[i]); /* product_isa keeps a literal */
    (*env)->ReleaseStringUTFChars(env, name, wanted);
    return ok ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jstring JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_isa(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, product_isa);
}

JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_product(JNIEnv *env, jclass cls,
        jdoubleArray a, jint aOffset, jint ar, jint ac, jdoubleArray b, jint bOffset, jint brs, jint bcs, jdoubleArray c,
        jint k, jint n,
        jint i0, jint i1, jint j0, jint j1, jdoubleArray bias, jdoubleArray addend, jdouble alpha) {
    (void)cls;
    product x = {0};
    x.ar = ar;
    x.ac = ac;
    x.brs = brs;
    x.bcs = bcs;
    x.n = n;
    x.alpha = alpha;
    double *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    double *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    double *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    double *pbias = bias ? (*env)->GetPrimitiveArrayCritical(env, bias, NULL) : NULL;
    double *padd = addend ? (*env)->GetPrimitiveArrayCritical(env, addend, NULL) : NULL;
    int ok = pa && pb && pc && (!bias || pbias) && (!addend || padd);
    if (ok) {
        x.a = pa + aOffset;
        x.b = pb + bOffset;
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
