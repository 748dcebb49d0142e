/* The JNI methods of io.backprop.runner.engine.kernel.NativeDense over kernels.h. */
#include <jni.h>
#include <stddef.h>

#include "kernels.h"

/* The widest copy this processor runs, chosen once when the library loads (none: NativeDense says so and keeps to Java). */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)vm;
    (void)reserved;
    return kernels_init() ? JNI_ERR : JNI_VERSION_1_8;
}

/* The names of the copies this library holds, widest first, space-separated. */
JNIEXPORT jstring JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_copies(JNIEnv *env, jclass cls) {
    (void)cls;
    char names[128];
    size_t used = 0;
    for (int i = 0; kernels_copies[i]; i++) {
        for (const char *c = i ? " " : ""; *c && used + 1 < sizeof names; c++) names[used++] = *c;
        for (const char *c = kernels_copies[i]; *c && used + 1 < sizeof names; c++) names[used++] = *c;
    }
    names[used] = 0;
    return (*env)->NewStringUTF(env, names);
}

/* For tests and benchmarks of every copy: switches to the named copy, if this processor runs it. */
JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_useCopy(JNIEnv *env, jclass cls, jstring name) {
    (void)cls;
    const char *wanted = (*env)->GetStringUTFChars(env, name, NULL);
    if (!wanted) return JNI_FALSE;
    int ok = kernels_use(wanted);
    (*env)->ReleaseStringUTFChars(env, name, wanted);
    return ok ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jstring JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_copy(JNIEnv *env, jclass cls) {
    (void)cls;
    const char *copy = kernels_copy();
    return copy ? (*env)->NewStringUTF(env, copy) : NULL;
}

/* What a product's step (kernels.h) pins: the weights (unless they are the addend, pinned with it), their float copy
 * and the squares. */
typedef struct {
    int is_addend;
    double *step, *squares;
    float *step32;
} pinned_step;

/* Pins the step's arrays (those not null); 1 when every one given is pinned and a step has its squares. */
static int pin_step(JNIEnv *env, jdoubleArray step, jdoubleArray addend, jfloatArray step32, jdoubleArray squares,
                    pinned_step *p) {
    p->is_addend = step && addend && (*env)->IsSameObject(env, step, addend);
    p->step = step && !p->is_addend ? (*env)->GetPrimitiveArrayCritical(env, step, NULL) : NULL;
    p->step32 = step32 ? (*env)->GetPrimitiveArrayCritical(env, step32, NULL) : NULL;
    p->squares = squares ? (*env)->GetPrimitiveArrayCritical(env, squares, NULL) : NULL;
    return (!step || p->is_addend || p->step) && (!step32 || p->step32) && (!squares || p->squares)
            && (!step || squares);
}

/* Releases what pin_step pinned, each with its writes. */
static void release_step(JNIEnv *env, jdoubleArray step, jfloatArray step32, jdoubleArray squares,
                         const pinned_step *p) {
    if (p->squares) (*env)->ReleasePrimitiveArrayCritical(env, squares, p->squares, 0);
    if (p->step32) (*env)->ReleasePrimitiveArrayCritical(env, step32, p->step32, 0);
    if (p->step) (*env)->ReleasePrimitiveArrayCritical(env, step, p->step, 0);
}

JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_product(JNIEnv *env, jclass cls,
        jdoubleArray a, jint aOffset, jint ar, jint ac, jdoubleArray b, jint bOffset, jint brs, jint bcs, jdoubleArray c,
        jint k, jint n,
        jint i0, jint i1, jint j0, jint j1, jdoubleArray bias, jdoubleArray addend, jdouble alpha,
        jdoubleArray step, jfloatArray step32, jdoubleArray squares, jdouble rate) {
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
    pinned_step ps;
    int ok = pin_step(env, step, addend, step32, squares, &ps) && pa && pb && pc && (!bias || pbias);
    double *padd = addend ? (*env)->GetPrimitiveArrayCritical(env, addend, NULL) : NULL;
    ok = ok && (!addend || padd);
    if (ok) {
        x.a = pa + aOffset;
        x.b = pb + bOffset;
        x.c = pc;
        x.bias = pbias;
        x.addend = padd;
        x.step = ps.is_addend ? padd : ps.step; /* the weights, pinned once where they are the addend too */
        x.step32 = ps.step32;
        x.squares = ps.squares;
        x.rate = rate;
        ok = kernels_product(&x, k, i0, i1, j0, j1) == 0;
    }
    if (padd) (*env)->ReleasePrimitiveArrayCritical(env, addend, padd, ps.is_addend ? 0 : JNI_ABORT);
    release_step(env, step, step32, squares, &ps);
    if (pbias) (*env)->ReleasePrimitiveArrayCritical(env, bias, pbias, JNI_ABORT);
    if (pc) (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    if (pb) (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    if (pa) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    return ok ? JNI_TRUE : JNI_FALSE;
}

/* product with float operands: c, bias and addend double, as product's. */
JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_productFloat(JNIEnv *env, jclass cls,
        jfloatArray a, jint aOffset, jint ar, jint ac, jfloatArray b, jint bOffset, jint brs, jint bcs, jdoubleArray c,
        jint k, jint n,
        jint i0, jint i1, jint j0, jint j1, jdoubleArray bias, jdoubleArray addend, jdouble alpha,
        jdoubleArray step, jfloatArray step32, jdoubleArray squares, jdouble rate) {
    (void)cls;
    product_float x = {0};
    x.ar = ar;
    x.ac = ac;
    x.brs = brs;
    x.bcs = bcs;
    x.n = n;
    x.alpha = alpha;
    float *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    float *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    double *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    double *pbias = bias ? (*env)->GetPrimitiveArrayCritical(env, bias, NULL) : NULL;
    pinned_step ps;
    int ok = pin_step(env, step, addend, step32, squares, &ps) && pa && pb && pc && (!bias || pbias);
    double *padd = addend ? (*env)->GetPrimitiveArrayCritical(env, addend, NULL) : NULL;
    ok = ok && (!addend || padd);
    if (ok) {
        x.a = pa + aOffset;
        x.b = pb + bOffset;
        x.c = pc;
        x.bias = pbias;
        x.addend = padd;
        x.step = ps.is_addend ? padd : ps.step; /* the weights, pinned once where they are the addend too */
        x.step32 = ps.step32;
        x.squares = ps.squares;
        x.rate = rate;
        ok = kernels_product_float(&x, k, i0, i1, j0, j1) == 0;
    }
    if (padd) (*env)->ReleasePrimitiveArrayCritical(env, addend, padd, ps.is_addend ? 0 : JNI_ABORT);
    release_step(env, step, step32, squares, &ps);
    if (pbias) (*env)->ReleasePrimitiveArrayCritical(env, bias, pbias, JNI_ABORT);
    if (pc) (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    if (pb) (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    if (pa) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    return ok ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_fused(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return kernels_fused() ? JNI_TRUE : JNI_FALSE;
}

/* Values [offset, offset + n) of a double array into the same places of a float array, each the nearest float. */
JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_narrow(JNIEnv *env, jclass cls,
        jdoubleArray from, jfloatArray to, jint offset, jint n) {
    (void)cls;
    double *pf = (*env)->GetPrimitiveArrayCritical(env, from, NULL);
    float *pt = (*env)->GetPrimitiveArrayCritical(env, to, NULL);
    int ok = pf && pt;
    if (ok) kernels_narrow(pf + offset, pt + offset, n);
    if (pt) (*env)->ReleasePrimitiveArrayCritical(env, to, pt, 0);
    if (pf) (*env)->ReleasePrimitiveArrayCritical(env, from, pf, JNI_ABORT);
    return ok ? JNI_TRUE : JNI_FALSE;
}

/* out[r] for r in [row0, row1): the sum of squares of row r of x, n values a row (kernels_row_squares). */
JNIEXPORT jboolean JNICALL Java_io_backprop_runner_engine_kernel_NativeDense_rowSquares(JNIEnv *env, jclass cls,
        jdoubleArray x, jint n, jint row0, jint row1, jdoubleArray out) {
    (void)cls;
    double *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    double *po = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    int ok = px && po;
    if (ok) kernels_row_squares(px + (long)row0 * n, n, row1 - row0, po + row0);
    if (po) (*env)->ReleasePrimitiveArrayCritical(env, out, po, 0);
    if (px) (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    return ok ? JNI_TRUE : JNI_FALSE;
}
