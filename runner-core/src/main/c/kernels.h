/*
 * The dense product of the native kernels, without JNI (kernels_jni.c binds it to NativeDense; src/test/c tests it).
 * c[i][j] = sum over p of a(i,p) * b(p,j), where a(i,p) = a[i*ar + p*ac] and b(p,j) = b[p*brs + j*bcs] read each
 * operand as stored or transposed; then + bias[j], then + alpha * addend[i][j], where given. In double, or with float
 * operands and a float sum, widened to double before bias and addend (product_float; kernels.c has the bit contract).
 */
#ifndef BACKPROP_KERNELS_H
#define BACKPROP_KERNELS_H

/*
 * With step set (a weight gradient's weights, laid out as c, and often its addend too), each result g is not written
 * to c but applied, as the plain step of gradient descent: step[i][j] -= rate * g (a multiply, then a subtraction),
 * step32[i][j] = the nearest float to the new weight where step32 is set, and squares[8 i + lane] += g * g in the
 * lanes of Java's Dense.sumOfSquares (column j in lane j % 8 below the row's last multiple of 8, in lane 0 from
 * there), so the caller, having zeroed a row's lanes, adds them as it does and has the bits of the gradient's row
 * norm. A row's columns are applied in ascending order, so they must all be in one call, or in calls of ascending
 * columns. c still holds partial sums between blocks of p.
 */
typedef struct {
    const double *a, *b, *bias, *addend;
    double *c;
    long ar, ac, brs, bcs;
    int n; /* columns of c */
    double alpha;
    double *step, *squares;
    float *step32;
    double rate;
} product;

/* The same with float operands; c, bias, addend and the step stay double. */
typedef struct {
    const float *a, *b;
    const double *bias, *addend;
    double *c;
    long ar, ac, brs, bcs;
    int n; /* columns of c */
    double alpha;
    double *step, *squares;
    float *step32;
    double rate;
} product_float;

/* The copies of the product this library holds, widest first, NULL-terminated: avx512 and avx2 (x86-64 only), portable. */
extern const char *const kernels_copies[];

/* Sets up the thread buffers and makes the widest copy this processor runs the one in use (none: kernels_copy is
 * NULL); 0 on success, -1 if the buffers cannot be set up. */
int kernels_init(void);

/* Makes the named copy the one in use; 0 if this library has no such copy or this processor cannot run it. This and
 * everything below need kernels_init first. */
int kernels_use(const char *copy);

/* The name of the copy in use (a literal from kernels_copies); NULL before kernels_init or if no copy runs here. */
const char *kernels_copy(void);

/* Rows [i0, i1) and columns [j0, j1) of c over p in [0, k), by the copy in use; 0 when done, -1 when out of memory. */
int kernels_product(const product *x, int k, int i0, int i1, int j0, int j1);

/* The same for float operands, by the copy in use. */
int kernels_product_float(const product_float *x, int k, int i0, int i1, int j0, int j1);

/* 1 if the copy in use fuses its multiply-adds, double and float (fma, fmaf: avx512, avx2, portable on aarch64), else
 * 0 (separate multiply and add: portable on x86-64). */
int kernels_fused(void);

/* to[i] = the float nearest from[i] (ties to even, as Java's cast), for i in [0, n), by the copy in use: float32's
 * operands, which Java 17's JIT converts one at a time. */
void kernels_narrow(const double *from, float *to, long n);

/* out[r] = the sum of the squares of x[r * n, (r + 1) * n) for r in [0, rows), in the order of Java's
 * Dense.sumOfSquares (eight interleaved sums, then pairwise; no fused multiply-add), so the same bits: the norms of a
 * weight gradient's rows, which the JIT sums one value at a time. */
void kernels_row_squares(const double *x, long n, long rows, double *out);

#endif
