/*
 * GFLOP/s of the native product on one thread, double and float, every copy this processor runs, on the products of
 * a 784-512-512 network's backprop with batches of 128 (dense operands: no zero to leave out). Not built by Maven:
 *   gcc -O3 -ffp-contract=off -fno-math-errno -std=gnu11 -pthread -I../../main/c bench.c ../../main/c/kernels.c -o bench
 * Usage: bench [REPEATS [COPY]]; each line the median of REPEATS timings (and the best), each timing long enough
 * to be read (at least 10 ms).
 */
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
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int by_value(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Seconds per product: the median and the best of repeats, each over enough products to take 10 ms. */
static void measure(const shape *s, int is_float, int repeats, double *median, double *best) {
    size_t as = (size_t)s->m * s->k, bs = (size_t)s->k * s->n, cs = (size_t)s->m * s->n;
    double *a = malloc(as * sizeof *a), *b = malloc(bs * sizeof *b), *c = malloc(cs * sizeof *c);
    float *fa = malloc(as * sizeof *fa), *fb = malloc(bs * sizeof *fb);
    double *times = malloc(repeats * sizeof *times);
    if (!a || !b || !c || !fa || !fb || !times) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    srand(1);
    for (size_t i = 0; i < as; i++) fa[i] = (float)(a[i] = 2.0 * rand() / RAND_MAX - 1);
    for (size_t i = 0; i < bs; i++) fb[i] = (float)(b[i] = 2.0 * rand() / RAND_MAX - 1);
    product x = {0};
    product_float fx = {0};
    x.a = a;
    x.b = b;
    x.c = c;
    x.ar = s->a_transposed ? 1 : s->k;
    x.ac = s->a_transposed ? s->m : 1;
    x.brs = s->b_transposed ? 1 : s->n;
    x.bcs = s->b_transposed ? s->k : 1;
    x.n = s->n;
    fx.a = fa;
    fx.b = fb;
    fx.c = c;
    fx.ar = x.ar;
    fx.ac = x.ac;
    fx.brs = x.brs;
    fx.bcs = x.bcs;
    fx.n = x.n;
    int count = 1;
    for (;;) { /* how many products take 10 ms */
        double t0 = now();
        for (int t = 0; t < count; t++) {
            int failed = is_float ? kernels_product_float(&fx, s->k, 0, s->m, 0, s->n) : kernels_product(&x, s->k, 0, s->m, 0, s->n);
            if (failed) exit(2);
        }
        if (now() - t0 > 0.01) break;
        count *= 2;
    }
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        for (int t = 0; t < count; t++) {
            if (is_float) kernels_product_float(&fx, s->k, 0, s->m, 0, s->n);
            else kernels_product(&x, s->k, 0, s->m, 0, s->n);
        }
        times[r] = (now() - t0) / count;
    }
    qsort(times, repeats, sizeof *times, by_value);
    *median = times[repeats / 2];
    *best = times[0];
    free(a);
    free(b);
    free(c);
    free(fa);
    free(fb);
    free(times);
}

int main(int argc, char **argv) {
    int repeats = argc > 1 ? atoi(argv[1]) : 9;
    const char *only = argc > 2 ? argv[2] : NULL;
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
                double median, best, flops = 2.0 * s->m * s->k * s->n;
                measure(s, is_float, repeats, &median, &best);
                printf("%-8s %-6s %-40s %6.1f GFLOP/s (best %.1f)\n", kernels_copies[i], is_float ? "float" : "double",
                       s->name, flops / median * 1e-9, flops / best * 1e-9);
                fflush(stdout);
            }
    }
    return 0;
}
