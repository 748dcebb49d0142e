/*
 * Every copy of the native product this processor runs, double and float, against the textbook loop of its contract
 * (kernels.c), bit for bit: random shapes and
 * the edge ones (one row or column, odd sizes, sizes around the vector widths, the tiles' panels and the blocks of
 * 128 values of p), each operand stored or transposed and at an offset, with and without bias and addend, with
 * zeros in a (single ones and whole inputs, as MNIST's borders), split into parts as threads split the output, and
 * nothing written outside the part asked for. Run by run.sh under AddressSanitizer and UBSan. Each product is
 * checked against a loop that fuses each multiply-add (fma, fmaf) where the copy says it fuses, else one that rounds
 * the multiply and the add apart; the float operands are drawn from a stream of their own, so the double cases are
 * those of every earlier version of this test. Then each copy's float copy of doubles and row sums of squares
 * (kernels_narrow, kernels_row_squares) against the cast and Java's order.
 * Each copy prints a hash of its double results and one of its float results, named fused or unfused: the same seed
 * and cases give the same hashes for every copy that fuses as it does, whatever the compiler and machine, which
 * run.sh checks across them (x86-64 and aarch64 alike), counting every NaN as one: the NaN that an overflowing sum
 * makes of inf - inf has its sign set on x86 and clear on Arm, in Java as in C.
 * Usage: kernels_test [SEED [CASES]]; exit 0 when every copy gives the bits of the reference, 1 when one does not.
 */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

static uint64_t state;
static uint64_t float_state; /* the float operands' stream, apart from the double cases' */

/* splitmix64: the same cases from the same seed on every machine. */
static uint64_t next(void) {
    uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int below(int n) {
    return (int)(next() % (uint64_t)n);
}

/* A finite value of either sign over a wide range of exponents, now and then a zero or a subnormal. */
static double value(void) {
    int kind = below(40);
    if (kind == 0) return 0.0;
    if (kind == 1) return -0.0;
    if (kind == 2) return (below(2) ? 1 : -1) * 4.9e-324 * (1 + below(1000));
    double unit = (double)(next() >> 11) / 9007199254740992.0;
    double scale = kind == 3 ? 1e-300 : kind == 4 ? 1e300 : 1 << below(8);
    return (below(2) ? unit : -unit) * scale;
}

/* The same for float: a float's range of exponents and its subnormals. */
static float value_float(void) {
    int kind = below(40);
    if (kind == 0) return 0.0f;
    if (kind == 1) return -0.0f;
    if (kind == 2) return (below(2) ? 1 : -1) * 1.4e-45f * (float)(1 + below(1000));
    float unit = (float)(next() >> 40) / 16777216.0f;
    float scale = kind == 3 ? 1e-30f : kind == 4 ? 1e30f : (float)(1 << below(8));
    return (below(2) ? unit : -unit) * scale;
}

/* The sizes the kernels treat specially: vector widths 2, 4, 8, 16; panels 4, 8, 12, 24, 32, 64 (and twice 12 and
 * 24); row groups 4 and 32; blocks of 128. */
static const int EDGES[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49,
                            63, 64, 65, 127, 128, 129, 257};
#define EDGE() EDGES[below((int)(sizeof EDGES / sizeof EDGES[0]))]

typedef struct {
    int m, k, n;         /* c is m x n, over p in [0, k) */
    int a_transposed, b_transposed;
    int a_offset, b_offset;
    int with_bias, with_addend;
    double alpha;
} shape;

static shape random_shape(int large) {
    shape s = {0};
    int limit = large ? 300 : 40;
    s.m = below(3) ? 1 + below(limit) : EDGE();
    s.k = below(3) ? 1 + below(large ? 400 : 40) : EDGE();
    s.n = below(3) ? 1 + below(limit) : EDGE();
    if (below(8) == 0) s.m = 1; /* 1 x N */
    if (below(8) == 0) s.n = 1; /* N x 1 */
    s.a_transposed = below(2);
    s.b_transposed = below(2);
    s.a_offset = below(3) ? 0 : 1 + below(9);
    s.b_offset = below(3) ? 0 : 1 + below(9);
    s.with_bias = below(2);
    s.with_addend = below(2);
    s.alpha = value();
    return s;
}

typedef struct {
    shape s;
    double *a, *b, *bias, *addend, *expected[2]; /* unfused, fused */
    product x;
    float *fa, *fb; /* the float product's operands, of the same shape; its bias and addend are the double's */
    double *expected_float[2]; /* unfused, fused */
    product_float fx;
} problem;

enum { DOUBLE, FLOAT };

static void *allocate(size_t count) {
    void *p = malloc((count ? count : 1) * sizeof(double));
    if (!p) {
        fprintf(stderr, "kernels_test: out of memory\n");
        exit(2);
    }
    return p;
}

/* The operands of s, a quarter of them with whole inputs p zero in every row, and the textbook loop's result. */
static void make(problem *q, shape s) {
    q->s = s;
    size_t as = (size_t)s.m * s.k + s.a_offset, bs = (size_t)s.k * s.n + s.b_offset;
    q->a = allocate(as);
    q->b = allocate(bs);
    q->bias = s.with_bias ? allocate(s.n) : NULL;
    q->addend = s.with_addend ? allocate((size_t)s.m * s.n) : NULL;
    q->expected[0] = allocate((size_t)s.m * s.n);
    q->expected[1] = allocate((size_t)s.m * s.n);
    q->expected_float[0] = allocate((size_t)s.m * s.n);
    q->expected_float[1] = allocate((size_t)s.m * s.n);
    q->fa = allocate(as); /* room for as doubles: enough floats */
    q->fb = allocate(bs);
    int sparse = below(4) == 0;
    for (size_t i = 0; i < as; i++) q->a[i] = value();
    for (size_t i = 0; i < bs; i++) q->b[i] = value();
    if (q->bias) for (int j = 0; j < s.n; j++) q->bias[j] = value();
    if (q->addend) for (size_t i = 0; i < (size_t)s.m * s.n; i++) q->addend[i] = value();
    product x = {0};
    x.a = q->a + s.a_offset;
    x.b = q->b + s.b_offset;
    x.ar = s.a_transposed ? 1 : s.k;
    x.ac = s.a_transposed ? s.m : 1;
    x.brs = s.b_transposed ? 1 : s.n;
    x.bcs = s.b_transposed ? s.k : 1;
    x.n = s.n;
    x.bias = q->bias;
    x.addend = q->addend;
    x.alpha = s.alpha;
    q->x = x;
    double *a = (double *)x.a;
    if (sparse)
        for (int p = 0; p < s.k; p++)
            if (below(3) == 0) for (int i = 0; i < s.m; i++) a[i * x.ar + p * x.ac] = 0;
    for (int fused = 0; fused < 2; fused++)
        for (int i = 0; i < s.m; i++)
            for (int j = 0; j < s.n; j++) {
                double sum = 0;
                for (int p = 0; p < s.k; p++) {
                    double e = x.a[i * x.ar + p * x.ac], f = x.b[p * x.brs + j * x.bcs];
                    if (e != 0) sum = fused ? fma(e, f, sum) : sum + e * f;
                }
                if (x.bias) sum += x.bias[j];
                if (x.addend) sum += x.alpha * x.addend[(long)i * s.n + j];
                q->expected[fused][(long)i * s.n + j] = sum;
            }

    uint64_t double_state = state;
    state = float_state;
    for (size_t i = 0; i < as; i++) q->fa[i] = value_float();
    for (size_t i = 0; i < bs; i++) q->fb[i] = value_float();
    product_float fx = {0};
    fx.a = q->fa + s.a_offset;
    fx.b = q->fb + s.b_offset;
    fx.ar = x.ar;
    fx.ac = x.ac;
    fx.brs = x.brs;
    fx.bcs = x.bcs;
    fx.n = x.n;
    fx.bias = x.bias;
    fx.addend = x.addend;
    fx.alpha = x.alpha;
    q->fx = fx;
    float *fa = (float *)fx.a;
    if (below(4) == 0)
        for (int p = 0; p < s.k; p++)
            if (below(3) == 0) for (int i = 0; i < s.m; i++) fa[i * fx.ar + p * fx.ac] = 0;
    float_state = state;
    state = double_state;
    for (int fused = 0; fused < 2; fused++)
        for (int i = 0; i < s.m; i++)
            for (int j = 0; j < s.n; j++) {
                float sum = 0;
                for (int p = 0; p < s.k; p++) {
                    float e = fx.a[i * fx.ar + p * fx.ac], f = fx.b[p * fx.brs + j * fx.bcs];
                    if (e != 0) sum = fused ? fmaf(e, f, sum) : sum + e * f;
                }
                double wide = sum;
                if (fx.bias) wide += fx.bias[j];
                if (fx.addend) wide += fx.alpha * fx.addend[(long)i * s.n + j];
                q->expected_float[fused][(long)i * s.n + j] = wide;
            }
}

static void release(problem *q) {
    free(q->a);
    free(q->b);
    free(q->bias);
    free(q->addend);
    free(q->expected[0]);
    free(q->expected[1]);
    free(q->fa);
    free(q->fb);
    free(q->expected_float[0]);
    free(q->expected_float[1]);
}

/* The type's product of q into c, rows [i0, i1) and columns [j0, j1), by the copy in use. */
static int compute(const problem *q, int type, double *c, int i0, int i1, int j0, int j1) {
    if (type == FLOAT) {
        product_float x = q->fx;
        x.c = c;
        return kernels_product_float(&x, q->s.k, i0, i1, j0, j1);
    }
    product x = q->x;
    x.c = c;
    return kernels_product(&x, q->s.k, i0, i1, j0, j1);
}

/* What the copy in use must give for the type's product. */
static const double *expected(const problem *q, int type) {
    return type == FLOAT ? q->expected_float[kernels_fused()] : q->expected[kernels_fused()];
}

static void describe(const char *copy, const problem *q, int type, const char *what) {
    const shape *s = &q->s;
    fprintf(stderr, "kernels_test: %s%s%s: %s for c %d x %d over k %d, a%s at +%d, b%s at +%d%s%s\n", copy,
            type == FLOAT ? " float" : "", kernels_fused() ? " fused" : " unfused", what, s->m, s->n, s->k, s->a_transposed ? " transposed" : "", s->a_offset, s->b_transposed ? " transposed" : "", s->b_offset,
            s->with_bias ? ", bias" : "", s->with_addend ? ", addend" : "");
}

static const uint64_t SENTINEL = 0x7ff4dead0000beefu; /* a signalling NaN no product writes */

/* Computes q in parts (rows split in parts_i, columns in parts_j, as threads would) and compares every bit. */
static int check(const char *copy, problem *q, int type, int parts_i, int parts_j) {
    const shape *s = &q->s;
    const double *want_c = expected(q, type);
    size_t cells = (size_t)s->m * s->n;
    double *c = allocate(cells);
    for (size_t i = 0; i < cells; i++) memcpy(&c[i], &SENTINEL, sizeof SENTINEL);
    int ok = 1;
    for (int pi = 0; pi < parts_i && ok; pi++)
        for (int pj = 0; pj < parts_j && ok; pj++) {
            int i0 = (int)((long)s->m * pi / parts_i), i1 = (int)((long)s->m * (pi + 1) / parts_i);
            int j0 = (int)((long)s->n * pj / parts_j), j1 = (int)((long)s->n * (pj + 1) / parts_j);
            if (compute(q, type, c, i0, i1, j0, j1)) {
                describe(copy, q, type, "out of memory");
                ok = 0;
                break;
            }
            for (int i = 0; i < s->m && ok; i++)
                for (int j = 0; j < s->n; j++) {
                    int inside = i >= i0 && i < i1 && j >= j0 && j < j1;
                    uint64_t got, want;
                    memcpy(&got, &c[(long)i * s->n + j], sizeof got);
                    memcpy(&want, &want_c[(long)i * s->n + j], sizeof want);
                    if (inside && got != want) {
                        describe(copy, q, type, "wrong bits");
                        fprintf(stderr, "  c[%d][%d] = %a (%016" PRIx64 "), the reference %a (%016" PRIx64 "); part rows [%d, %d)"
                                " columns [%d, %d)\n", i, j, c[(long)i * s->n + j], got, want_c[(long)i * s->n + j], want,
                                i0, i1, j0, j1);
                        ok = 0;
                        break;
                    }
                }
        }
    /* Every cell written once, by its own part: none is left at the sentinel, and (checked above) each is right. */
    for (size_t i = 0; i < cells && ok; i++) {
        uint64_t got, want;
        memcpy(&got, &c[i], sizeof got);
        memcpy(&want, &want_c[i], sizeof want);
        if (got != want) {
            describe(copy, q, type, got == SENTINEL ? "a cell never written" : "a cell overwritten by another part");
            ok = 0;
        }
    }
    free(c);
    return ok;
}

/* A part must leave every cell outside it alone: one part only, the rest still the sentinel. */
static int check_alone(const char *copy, problem *q, int type) {
    const shape *s = &q->s;
    if (s->m < 2 || s->n < 2) return 1;
    size_t cells = (size_t)s->m * s->n;
    double *c = allocate(cells);
    for (size_t i = 0; i < cells; i++) memcpy(&c[i], &SENTINEL, sizeof SENTINEL);
    int i0 = below(s->m), i1 = i0 + 1 + below(s->m - i0), j0 = below(s->n), j1 = j0 + 1 + below(s->n - j0);
    int ok = compute(q, type, c, i0, i1, j0, j1) == 0;
    for (int i = 0; i < s->m && ok; i++)
        for (int j = 0; j < s->n; j++) {
            uint64_t got;
            memcpy(&got, &c[(long)i * s->n + j], sizeof got);
            int inside = i >= i0 && i < i1 && j >= j0 && j < j1;
            if (!inside && got != SENTINEL) {
                describe(copy, q, type, "wrote outside its part");
                fprintf(stderr, "  c[%d][%d], part rows [%d, %d) columns [%d, %d)\n", i, j, i0, i1, j0, j1);
                ok = 0;
                break;
            }
        }
    free(c);
    return ok;
}

/* Bit for bit: n doubles, or with floats n floats; 1 when equal, else says which differs. */
static int same_bits(const char *copy, problem *q, int type, const char *what, const void *got, const void *want,
                     size_t n, int floats) {
    size_t size = floats ? sizeof(float) : sizeof(double);
    for (size_t i = 0; i < n; i++) {
        if (!memcmp((const char *)got + i * size, (const char *)want + i * size, size)) continue;
        describe(copy, q, type, what);
        if (floats) fprintf(stderr, "  [%zu] = %a, not %a\n", i, ((const float *)got)[i], ((const float *)want)[i]);
        else fprintf(stderr, "  [%zu] = %a, not %a\n", i, ((const double *)got)[i], ((const double *)want)[i]);
        return 0;
    }
    return 1;
}

/* The plain step (kernels.h) in parts of whole rows: the weights, their float copy and the lanes of the squares, bit
 * for bit against the step taken after the reference product; half the time with the weights as the addend too, as
 * a weight gradient's L2 term has them. */
static int check_step(const char *copy, problem *q, int type) {
    const shape *s = &q->s;
    size_t cells = (size_t)s->m * s->n, lanes_size = (size_t)s->m * 8;
    const double *g = expected(q, type);
    double rate = value();
    int aliased = q->addend && below(2);
    double *w = allocate(cells), *want_w = allocate(cells), *c = allocate(cells);
    double *lanes = allocate(lanes_size + 1), *want_lanes = allocate(lanes_size);
    float *w32 = allocate(cells), *want_w32 = allocate(cells); /* room for doubles: enough floats */
    int whole = s->n / 8 * 8;
    memset(want_lanes, 0, lanes_size * sizeof(double));
    memset(lanes, 0, lanes_size * sizeof(double));
    lanes[lanes_size] = 42;
    for (size_t o = 0; o < cells; o++) {
        w[o] = aliased ? q->addend[o] : value();
        want_w[o] = w[o] - rate * g[o];
        want_w32[o] = (float)want_w[o];
        int j = (int)(o % s->n);
        want_lanes[o / s->n * 8 + (j < whole ? j % 8 : 0)] += g[o] * g[o];
    }
    int parts = 1 + below(3), ok = 1;
    for (int part = 0; part < parts && ok; part++) {
        int i0 = (int)((long)s->m * part / parts), i1 = (int)((long)s->m * (part + 1) / parts), failed;
        if (type == FLOAT) {
            product_float x = q->fx;
            x.c = c;
            if (aliased) x.addend = w;
            x.step = w;
            x.step32 = w32;
            x.squares = lanes;
            x.rate = rate;
            failed = kernels_product_float(&x, s->k, i0, i1, 0, s->n);
        } else {
            product x = q->x;
            x.c = c;
            if (aliased) x.addend = w;
            x.step = w;
            x.squares = lanes;
            x.rate = rate;
            failed = kernels_product(&x, s->k, i0, i1, 0, s->n);
        }
        if (failed) {
            describe(copy, q, type, "out of memory");
            ok = 0;
        }
    }
    ok = ok && same_bits(copy, q, type, "stepped weights", w, want_w, cells, 0)
            && same_bits(copy, q, type, "squares of the gradient", lanes, want_lanes, lanes_size, 0)
            && (type == DOUBLE || same_bits(copy, q, type, "float copy of the stepped weights", w32, want_w32, cells, 1));
    if (ok && lanes[lanes_size] != 42) {
        describe(copy, q, type, "squares written past the last row");
        ok = 0;
    }
    free(w);
    free(want_w);
    free(c);
    free(lanes);
    free(want_lanes);
    free(w32);
    free(want_w32);
    return ok;
}

typedef struct {
    const char *copy;
    uint64_t seed;
    int cases, failed;
    uint64_t hash, hash_float; /* FNV-1a over the bits of every result, checked equal to the reference's above */
} run;

static uint64_t hash_results(uint64_t hash, const problem *q, const double *results) {
    for (size_t i = 0; i < (size_t)q->s.m * q->s.n; i++) {
        uint64_t bits;
        memcpy(&bits, &results[i], sizeof bits);
        if (results[i] != results[i]) bits = 0x7ff8000000000000u; /* a NaN made here: x86 sets its sign, Arm not */
        for (int b = 0; b < 64; b += 8) hash = (hash ^ ((bits >> b) & 0xff)) * 0x100000001b3u;
    }
    return hash;
}

/* One copy over its cases; in its own thread, so that its buffers are made and freed as in a JVM's threads. */
static void *run_copy(void *arg) {
    run *r = arg;
    state = r->seed;
    float_state = r->seed ^ 0x5deece66du;
    for (int t = 0; t < r->cases && !r->failed; t++) {
        problem q;
        make(&q, random_shape(t % 8 == 7));
        int parts_i = 1 + below(3), parts_j = 1 + below(3);
        if (!check(r->copy, &q, DOUBLE, 1, 1) || !check(r->copy, &q, DOUBLE, parts_i, parts_j)
                || !check_alone(r->copy, &q, DOUBLE) || !check_step(r->copy, &q, DOUBLE))
            r->failed = 1;
        uint64_t double_state = state; /* the float checks' parts from the float stream, the double cases unchanged */
        state = float_state;
        int float_parts_i = 1 + below(3), float_parts_j = 1 + below(3);
        if (!r->failed && (!check(r->copy, &q, FLOAT, 1, 1) || !check(r->copy, &q, FLOAT, float_parts_i, float_parts_j)
                || !check_alone(r->copy, &q, FLOAT) || !check_step(r->copy, &q, FLOAT)))
            r->failed = 1;
        float_state = state;
        state = double_state;
        r->hash = hash_results(r->hash, &q, expected(&q, DOUBLE));
        r->hash_float = hash_results(r->hash_float, &q, expected(&q, FLOAT));
        release(&q);
    }
    return NULL;
}

/* The reference of kernels_row_squares: Java's Dense.sumOfSquares, eight interleaved sums added pairwise. */
static double row_squares_reference(const double *x, int n) {
    double s[8] = {0};
    int j = 0;
    for (; j + 8 <= n; j += 8)
        for (int k = 0; k < 8; k++) s[k] += x[j + k] * x[j + k];
    for (; j < n; j++) s[0] += x[j] * x[j];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/* The copy in use's float copy (each value's nearest float) and row sums of squares, bit for bit; 1 when right. */
static int check_vectors(const char *copy) {
    enum { ROWS_ = 5, MOST = 300 };
    double *x = allocate((size_t)ROWS_ * MOST), out[ROWS_ + 1];
    float *narrowed = allocate((size_t)ROWS_ * MOST + 1);
    for (int e = 0; e < (int)(sizeof EDGES / sizeof EDGES[0]); e++) {
        int n = EDGES[e];
        for (int i = 0; i < ROWS_ * n; i++) x[i] = value() * ldexp(1, below(40) - 20);
        if (n > 2) x[n + 1] = 1e200; /* its square overflows */
        out[ROWS_] = 42;
        narrowed[ROWS_ * n] = 42;
        kernels_row_squares(x, n, ROWS_, out);
        kernels_narrow(x, narrowed, (long)ROWS_ * n);
        for (int r = 0; r < ROWS_; r++) {
            double want = row_squares_reference(x + (long)r * n, n);
            if (memcmp(&want, &out[r], sizeof want)) {
                printf("%s: row squares of row %d of %d values: %a, not %a\n", copy, r, n, out[r], want);
                return 0;
            }
        }
        for (int i = 0; i < ROWS_ * n; i++) {
            float want = (float)x[i];
            if (memcmp(&want, &narrowed[i], sizeof want)) {
                printf("%s: float copy of %a: %a, not %a\n", copy, x[i], narrowed[i], want);
                return 0;
            }
        }
        if (out[ROWS_] != 42 || narrowed[ROWS_ * n] != 42) {
            printf("%s: row squares or float copy wrote past the end (%d values)\n", copy, n);
            return 0;
        }
    }
    free(x);
    free(narrowed);
    return 1;
}

int main(int argc, char **argv) {
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261201;
    int cases = argc > 2 ? atoi(argv[2]) : 400;
    if (kernels_init() || !kernels_copy()) {
        fprintf(stderr, "kernels_test: %s\n", kernels_copy() ? "cannot set up the buffers" : "no copy of the kernels runs on this processor");
        return 1;
    }
    const char *widest = kernels_copy();
    int failed = 0, ran = 0;
    for (int i = 0; kernels_copies[i]; i++) {
        const char *copy = kernels_copies[i];
        if (!kernels_use(copy)) {
            printf("%s: not run, this processor lacks its instructions\n", copy);
            continue;
        }
        run r = {copy, seed, cases, 0, 0xcbf29ce484222325u, 0xcbf29ce484222325u};
        pthread_t thread;
        if (pthread_create(&thread, NULL, run_copy, &r) || pthread_join(thread, NULL)) {
            fprintf(stderr, "kernels_test: cannot start a thread\n");
            return 2;
        }
        if (!check_vectors(copy)) r.failed = 1;
        const char *fused = kernels_fused() ? "fused" : "unfused";
        printf("%s: %d cases, %s, double-%s %016" PRIx64 ", float-%s %016" PRIx64 "\n", copy, cases,
               r.failed ? "FAILED" : "the bits of the reference", fused, r.hash, fused, r.hash_float);
        failed |= r.failed;
        ran++;
    }
    printf("widest copy this processor runs: %s\n", widest);
    return failed || !ran;
}
