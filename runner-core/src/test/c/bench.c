/*
 * GFLOP/s of the native product on one thread, double and float, every copy this processor runs, on the products of
 * a 784-512-512 network's backprop with batches of 128 (W3), and on the first layer of a 784-128-10 one with batches of
 * 32 (W2: a short weight gradient); dense operands, no zero to leave out. Not built by Maven:
 *   gcc -O3 -ffp-contract=off -fno-math-errno -std=gnu11 -pthread -I../../main/c bench.c ../../main/c/kernels.c -ldl -o bench
 * Usage: bench [REPEATS [COPY]]; each line the median of REPEATS timings (and the best), each timing long enough
 * to be read (at least 10 ms). With BLAS=/path/to/libopenblas.so (cblas_sgemm, or numpy's scipy-openblas with its
 * 64-bit names), each native timing is paired with one of the same product by that library's sgemm or dgemm on one
 * thread (float c there), and the line adds its speed and the median of the pairs' ratios: on a machine others
 * share, a pair sees the same load where two runs apart do not.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels.h"

typedef struct {
    const char *name;
    int m, k, n;
    int a_transposed, b_transposed;
} shape;

static const shape SHAPES[] = {
    {"forward 128x784 . 784x512", 128, 784, 512, 0, 0},
    {"forward 128x512 . 512x512", 128, 512, 512, 0, 0},
    {"weight gradient (128x784)^T . 128x512", 784, 128, 512, 1, 0},
    {"input gradient 128x512 . (512x512)^T", 128, 512, 512, 0, 1},
    {"W2 forward 32x784 . 784x128", 32, 784, 128, 0, 0},
    {"W2 weight gradient (32x784)^T . 32x128", 784, 32, 128, 1, 0},
};

/* The BLAS to compare with, if BLAS names one: row major, either operand transposed. */
typedef void (*sgemm32)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgemm32)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
typedef void (*sgemm64)(int, int, int, long, long, long, float, const float *, long, const float *, long, float, float *, long);
typedef void (*dgemm64)(int, int, int, long, long, long, double, const double *, long, const double *, long, double, double *, long);
static void *blas_s, *blas_d;
static int blas_long; /* 64-bit integer arguments */

static void load_blas(const char *path) {
    void *h = dlopen(path, RTLD_NOW);
    if (!h) {
        fprintf(stderr, "bench: %s\n", dlerror());
        exit(2);
    }
    blas_s = dlsym(h, "cblas_sgemm");
    blas_d = dlsym(h, "cblas_dgemm");
    void (*threads)(int) = (void (*)(int))dlsym(h, "openblas_set_num_threads");
    if (!blas_s || !blas_d) {
        blas_s = dlsym(h, "scipy_cblas_sgemm64_");
        blas_d = dlsym(h, "scipy_cblas_dgemm64_");
        threads = (void (*)(int))dlsym(h, "scipy_openblas_set_num_threads64_");
        blas_long = 1;
    }
    if (!blas_s || !blas_d) {
        fprintf(stderr, "bench: %s has neither cblas_sgemm nor scipy_cblas_sgemm64_\n", path);
        exit(2);
    }
    if (threads) threads(1);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int by_value(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

typedef struct {
    const shape *s;
    int is_float;
    product x;
    product_float fx;
    const double *a, *b;
    const float *fa, *fb;
    float *fc; /* the BLAS's c in float */
} bench_case;

static void native_once(const bench_case *w) {
    int failed = w->is_float ? kernels_product_float(&w->fx, w->s->k, 0, w->s->m, 0, w->s->n)
                             : kernels_product(&w->x, w->s->k, 0, w->s->m, 0, w->s->n);
    if (failed) exit(2);
}

static void blas_once(const bench_case *w) {
    const shape *s = w->s;
    int ta = s->a_transposed ? 112 : 111, tb = s->b_transposed ? 112 : 111; /* CblasTrans, CblasNoTrans; 101 row major */
    long lda = s->a_transposed ? s->m : s->k, ldb = s->b_transposed ? s->k : s->n;
    if (w->is_float && blas_long)
        ((sgemm64)blas_s)(101, ta, tb, s->m, s->n, s->k, 1, w->fa, lda, w->fb, ldb, 0, w->fc, s->n);
    else if (w->is_float)
        ((sgemm32)blas_s)(101, ta, tb, s->m, s->n, s->k, 1, w->fa, (int)lda, w->fb, (int)ldb, 0, w->fc, s->n);
    else if (blas_long)
        ((dgemm64)blas_d)(101, ta, tb, s->m, s->n, s->k, 1, w->a, lda, w->b, ldb, 0, w->x.c, s->n);
    else
        ((dgemm32)blas_d)(101, ta, tb, s->m, s->n, s->k, 1, w->a, (int)lda, w->b, (int)ldb, 0, w->x.c, s->n);
}

/* Seconds per product of count products. */
static double timed(void (*once)(const bench_case *), const bench_case *w, int count) {
    double t0 = now();
    for (int t = 0; t < count; t++) once(w);
    return (now() - t0) / count;
}

/* How many products take 10 ms. */
static int calibrate(void (*once)(const bench_case *), const bench_case *w) {
    int count = 1;
    while (timed(once, w, count) * count < 0.01) count *= 2;
    return count;
}

/* Seconds per product, the median and the best of repeats: [0], [1] native, [2], [3] the BLAS; [4] the median ratio. */
static void measure(const shape *s, int is_float, int repeats, double out[5]) {
    size_t as = (size_t)s->m * s->k, bs = (size_t)s->k * s->n, cs = (size_t)s->m * s->n;
    double *a = malloc(as * sizeof *a), *b = malloc(bs * sizeof *b), *c = malloc(cs * sizeof *c);
    float *fa = malloc(as * sizeof *fa), *fb = malloc(bs * sizeof *fb), *fc = malloc(cs * sizeof *fc);
    double *times = malloc(3 * repeats * sizeof *times), *blas_times = times + repeats, *ratios = blas_times + repeats;
    if (!a || !b || !c || !fa || !fb || !fc || !times) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    srand(1);
    for (size_t i = 0; i < as; i++) fa[i] = (float)(a[i] = 2.0 * rand() / RAND_MAX - 1);
    for (size_t i = 0; i < bs; i++) fb[i] = (float)(b[i] = 2.0 * rand() / RAND_MAX - 1);
    bench_case w = {s, is_float, {0}, {0}, a, b, fa, fb, fc};
    w.x.a = a;
    w.x.b = b;
    w.x.c = c;
    w.x.ar = s->a_transposed ? 1 : s->k;
    w.x.ac = s->a_transposed ? s->m : 1;
    w.x.brs = s->b_transposed ? 1 : s->n;
    w.x.bcs = s->b_transposed ? s->k : 1;
    w.x.n = s->n;
    w.fx.a = fa;
    w.fx.b = fb;
    w.fx.c = c;
    w.fx.ar = w.x.ar;
    w.fx.ac = w.x.ac;
    w.fx.brs = w.x.brs;
    w.fx.bcs = w.x.bcs;
    w.fx.n = w.x.n;
    int count = calibrate(native_once, &w), blas_count = blas_s ? calibrate(blas_once, &w) : 0;
    for (int r = 0; r < repeats; r++) {
        times[r] = timed(native_once, &w, count);
        if (blas_s) {
            blas_times[r] = timed(blas_once, &w, blas_count);
            ratios[r] = blas_times[r] / times[r];
        }
    }
    qsort(times, repeats, sizeof *times, by_value);
    out[0] = times[repeats / 2];
    out[1] = times[0];
    if (blas_s) {
        qsort(blas_times, repeats, sizeof *times, by_value);
        qsort(ratios, repeats, sizeof *times, by_value);
        out[2] = blas_times[repeats / 2];
        out[3] = blas_times[0];
        out[4] = ratios[repeats / 2];
    }
    free(a);
    free(b);
    free(c);
    free(fa);
    free(fb);
    free(fc);
    free(times);
}

int main(int argc, char **argv) {
    int repeats = argc > 1 ? atoi(argv[1]) : 9;
    const char *only = argc > 2 ? argv[2] : NULL;
    if (getenv("BLAS") && *getenv("BLAS")) load_blas(getenv("BLAS"));
    if (kernels_init() || !kernels_copy()) {
        fprintf(stderr, "bench: no copy of the kernels runs here\n");
        return 1;
    }
    for (int i = 0; kernels_copies[i]; i++) {
        if (only && strcmp(only, kernels_copies[i])) continue;
        if (!kernels_use(kernels_copies[i])) continue;
        for (size_t j = 0; j < sizeof SHAPES / sizeof SHAPES[0]; j++)
            for (int is_float = 1; is_float >= 0; is_float--) {
                const shape *s = &SHAPES[j];
                double t[5] = {0}, flops = 2.0 * s->m * s->k * s->n * 1e-9;
                measure(s, is_float, repeats, t);
                printf("%-8s %-6s %-40s %6.1f GFLOP/s (best %6.1f)", kernels_copies[i], is_float ? "float" : "double",
                       s->name, flops / t[0], flops / t[1]);
                if (blas_s) printf("; BLAS %6.1f (best %6.1f), native/BLAS %.2f", flops / t[2], flops / t[3], t[4]);
                printf("\n");
                fflush(stdout);
            }
    }
    return 0;
}
