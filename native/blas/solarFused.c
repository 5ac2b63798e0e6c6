// Fused elementwise kernels on the wasm heap: one pass over the data where tfjs runs a
// kernel, with a heap tensor, per operation. Each splits its elements across the threads
// of setThreads (parallelFor). Used by trainer/backend/wasmFused.ts and wasmAdamW.ts.
//
// JS API (trainer/backend/nativeBlas.ts), all arrays Float32Array of one length:
//   adamw(p, m, v, g, pOut, mOut, vOut, beta1, beta2, eps, lr, decay, bc1, bc2, clipScale)
//     one AdamW update (trainer/backend/wasmAdamW.ts has the formula)
//   swiglu(gate, up, out)                  out = silu(gate) * up
//   swigluGrad(dy, gate, up, dGate, dUp)   its gradient
//   (softmaxGrad and maskedSoftmax: solarSoftmax.c)
//   rmsnorm(x, w, y, rstd, eps)            rows of d = w's length: rstd = 1/sqrt(mean(x^2) + eps)
//                                          (one per row), y = x * rstd * w
//   rmsnormGrad(dy, x, w, rstd, dx, dw)    its gradient, dw summed over the rows
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "solarNative.h"

// Built with -ffast-math (binding.gyp) so expf vectorises (glibc's libmvec), which lets
// the compiler assume no inf or NaN and fold isfinite() to true: arguments are checked
// on their bits instead.
static bool finiteDouble(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return ((bits >> 52) & 0x7ff) != 0x7ff;
}

// Below this many elements a call runs on the calling thread alone (a thread start costs
// what ~50k elements take).
#define MIN_THREADED_ELEMENTS (1 << 18)

typedef struct {
  RangeFn fn;
  const void *ctx;
  int64_t begin, end;
} RangeTask;

static void *runRangeTask(void *arg) {
  const RangeTask *t = (const RangeTask *)arg;
  t->fn(t->ctx, t->begin, t->end);
  return NULL;
}

// fn(ctx, begin, end) over items [0, n) of `grain` elements each, in contiguous shares,
// one per thread; this thread runs the last share, and a thread that cannot start leaves
// its share to this one.
void parallelFor(int64_t n, int64_t grain, RangeFn fn, const void *ctx) {
  int threads = solarThreadCount > MAX_THREADS ? MAX_THREADS : solarThreadCount;
  if (threads > n) threads = (int)n;
  if (threads <= 1 || n * grain < MIN_THREADED_ELEMENTS) {
    fn(ctx, 0, n);
    return;
  }
  RangeTask tasks[MAX_THREADS];
  pthread_t ids[MAX_THREADS];
  bool started[MAX_THREADS] = {false};
  for (int t = 0; t < threads; t++) tasks[t] = (RangeTask){fn, ctx, n * t / threads, n * (t + 1) / threads};
  for (int t = 0; t + 1 < threads; t++) started[t] = pthread_create(&ids[t], NULL, runRangeTask, &tasks[t]) == 0;
  runRangeTask(&tasks[threads - 1]);
  for (int t = 0; t + 1 < threads; t++) {
    if (started[t]) pthread_join(ids[t], NULL);
    else runRangeTask(&tasks[t]);
  }
}

// Reads `count` Float32Array arguments of one length into arrays[]; false (with a JS error
// thrown) on a wrong type or length.
bool floatArgs(napi_env env, napi_value *argv, int count, float **arrays, int64_t *n, const char *what) {
  size_t first = 0;
  for (int i = 0; i < count; i++) {
    size_t length = 0;
    arrays[i] = floatArray(env, argv[i], &length);
    if (arrays[i] == NULL) {
      throwError(env, what);
      return false;
    }
    if (i == 0) first = length;
    if (length != first) {
      throwRange(env, "solarBlas: the arrays of one call must have one length");
      return false;
    }
  }
  *n = (int64_t)first;
  return true;
}

// ---- AdamW -------------------------------------------------------------------------

typedef struct {
  float *a[7]; // p, m, v, g, pOut, mOut, vOut
  float beta1, beta2, eps, lr, decay, bc1, bc2, clipScale;
} AdamCtx;

SOLAR_VECTOR_CLONES static void adamRange(const void *arg, int64_t begin, int64_t end) {
  const AdamCtx *w = (const AdamCtx *)arg;
  const float *p = w->a[0], *m = w->a[1], *v = w->a[2], *g = w->a[3];
  float *pOut = w->a[4], *mOut = w->a[5], *vOut = w->a[6];
  const float c1 = 1.0f - w->beta1, c2 = 1.0f - w->beta2;
  // float32 throughout, in the order of optimizer.ts's tf ops path; the compiler
  // vectorises this loop.
  for (int64_t i = begin; i < end; i++) {
    const float gi = w->clipScale * g[i];
    const float mi = w->beta1 * m[i] + c1 * gi;
    const float vi = w->beta2 * v[i] + c2 * (gi * gi);
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = w->decay * p[i] - w->lr * ((mi / w->bc1) / (sqrtf(vi / w->bc2) + w->eps));
  }
}

napi_value solarAdamw(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  if (!exactArgs(env, info, 15, argv, "adamw")) return NULL;
  AdamCtx ctx;
  int64_t n = 0;
  if (!floatArgs(env, argv, 7, ctx.a, &n, "solarBlas.adamw: p, m, v, g and the outputs must be Float32Arrays")) {
    return NULL;
  }
  double s[8];
  for (int i = 0; i < 8; i++) {
    if (napi_get_value_double(env, argv[7 + i], &s[i]) != napi_ok || !finiteDouble(s[i])) {
      return throwError(env, "solarBlas.adamw: the scalars must be finite numbers");
    }
  }
  ctx.beta1 = (float)s[0];
  ctx.beta2 = (float)s[1];
  ctx.eps = (float)s[2];
  ctx.lr = (float)s[3];
  ctx.decay = (float)s[4];
  ctx.bc1 = (float)s[5];
  ctx.bc2 = (float)s[6];
  ctx.clipScale = (float)s[7];
  parallelFor(n, 1, adamRange, &ctx);
  return NULL;
}

// ---- SwiGLU: silu(gate) * up ----------------------------------------------------------

typedef struct {
  float *a[5]; // forward: gate, up, out; backward: dy, gate, up, dGate, dUp
} ArraysCtx;

SOLAR_VECTOR_CLONES static void swigluRange(const void *arg, int64_t begin, int64_t end) {
  float *const *a = ((const ArraysCtx *)arg)->a;
  const float *gate = a[0], *up = a[1];
  float *out = a[2];
  for (int64_t i = begin; i < end; i++) {
    const float g = gate[i];
    // g * sigmoid(g). The exponent is capped at 88 (e^88 < FLT_MAX): an inf there gave NaN
    // under -ffast-math, and below g = -88 silu is ~1e-36 either way.
    out[i] = g / (1.0f + expf(fminf(-g, 88.0f))) * up[i];
  }
}

// d/dg [g s(g) u] = u s (1 + g (1 - s)), d/du = g s, with s = sigmoid(g).
SOLAR_VECTOR_CLONES static void swigluGradRange(const void *arg, int64_t begin, int64_t end) {
  float *const *a = ((const ArraysCtx *)arg)->a;
  const float *dy = a[0], *gate = a[1], *up = a[2];
  float *dGate = a[3], *dUp = a[4];
  for (int64_t i = begin; i < end; i++) {
    const float g = gate[i];
    const float s = 1.0f / (1.0f + expf(fminf(-g, 88.0f))); // capped as in swigluRange
    dUp[i] = dy[i] * g * s;
    dGate[i] = dy[i] * up[i] * s * (1.0f + g * (1.0f - s));
  }
}

// An entry point whose `count` arguments are Float32Arrays of one length, run by fn over
// their elements (ArraysCtx holds them in argument order).
static napi_value elementwise(napi_env env, napi_callback_info info, int count, RangeFn fn, const char *name,
                              const char *what) {
  napi_value argv[5];
  ArraysCtx ctx;
  int64_t n = 0;
  if (!exactArgs(env, info, (size_t)count, argv, name) || !floatArgs(env, argv, count, ctx.a, &n, what)) return NULL;
  parallelFor(n, 1, fn, &ctx);
  return NULL;
}

napi_value solarSwiglu(napi_env env, napi_callback_info info) {
  return elementwise(env, info, 3, swigluRange, "swiglu", "solarBlas.swiglu: gate, up and out must be Float32Arrays");
}

napi_value solarSwigluGrad(napi_env env, napi_callback_info info) {
  return elementwise(env, info, 5, swigluGradRange, "swigluGrad",
                     "solarBlas.swigluGrad: dy, gate, up, dGate, dUp must be Float32Arrays");
}

// ---- RMSNorm: y = x * rstd * w, rstd = 1 / sqrt(mean(x^2) + eps) per row ------------------

typedef struct {
  const float *dy, *x, *w, *rstd;
  float *y, *rOut, *dx, *dw;
  int64_t d, rows;
  float eps;
} NormCtx;

SOLAR_VECTOR_CLONES static void rmsnormRange(const void *arg, int64_t begin, int64_t end) {
  const NormCtx *c = (const NormCtx *)arg;
  const int64_t d = c->d;
  for (int64_t r = begin; r < end; r++) {
    const float *x = c->x + r * d;
    float *y = c->y + r * d;
    float ss = 0.0f;
    for (int64_t j = 0; j < d; j++) ss += x[j] * x[j];
    const float rstd = 1.0f / sqrtf(ss / (float)d + c->eps);
    c->rOut[r] = rstd;
    for (int64_t j = 0; j < d; j++) y[j] = x[j] * rstd * c->w[j];
  }
}

// dx = rstd * (g - xhat * mean(g * xhat)), g = dy * w, xhat = x * rstd (rows).
SOLAR_VECTOR_CLONES static void rmsnormDxRange(const void *arg, int64_t begin, int64_t end) {
  const NormCtx *c = (const NormCtx *)arg;
  const int64_t d = c->d;
  for (int64_t r = begin; r < end; r++) {
    const float *x = c->x + r * d, *dy = c->dy + r * d;
    float *dx = c->dx + r * d;
    const float rstd = c->rstd[r];
    float dot = 0.0f;
    for (int64_t j = 0; j < d; j++) dot += dy[j] * c->w[j] * x[j];
    const float k = dot * rstd * rstd / (float)d; // mean(g * xhat) * rstd, over x (not xhat)
    for (int64_t j = 0; j < d; j++) dx[j] = rstd * (dy[j] * c->w[j] - x[j] * k);
  }
}

// dw[j] = sum over rows of dy * xhat, columns [begin, end) (each thread its own columns:
// no shared sums).
SOLAR_VECTOR_CLONES static void rmsnormDwRange(const void *arg, int64_t begin, int64_t end) {
  const NormCtx *c = (const NormCtx *)arg;
  const int64_t d = c->d;
  for (int64_t j = begin; j < end; j++) c->dw[j] = 0.0f;
  for (int64_t r = 0; r < c->rows; r++) {
    const float *x = c->x + r * d, *dy = c->dy + r * d;
    const float rstd = c->rstd[r];
    for (int64_t j = begin; j < end; j++) c->dw[j] += dy[j] * x[j] * rstd;
  }
}

// Reads x-shaped and w-shaped Float32Arrays: rows = len(x) / len(w), exactly.
static bool normShape(napi_env env, size_t xLen, size_t wLen, size_t rowsLen, NormCtx *c) {
  if (wLen == 0 || xLen % wLen != 0 || rowsLen != xLen / wLen) {
    throwRange(env, "solarBlas.rmsnorm: x must be rows x d, w d long and rstd one per row");
    return false;
  }
  c->d = (int64_t)wLen;
  c->rows = (int64_t)(xLen / wLen);
  return true;
}

static bool floatArrayArg(napi_env env, napi_value v, float **out, size_t *len) {
  *out = floatArray(env, v, len);
  if (*out == NULL) throwError(env, "solarBlas.rmsnorm: the arrays must be Float32Arrays");
  return *out != NULL;
}

napi_value solarRmsnorm(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!exactArgs(env, info, 5, argv, "rmsnorm")) return NULL;
  NormCtx c = {0};
  float *x, *w;
  size_t xLen, wLen, yLen, rLen;
  if (!floatArrayArg(env, argv[0], &x, &xLen) || !floatArrayArg(env, argv[1], &w, &wLen) ||
      !floatArrayArg(env, argv[2], &c.y, &yLen) || !floatArrayArg(env, argv[3], &c.rOut, &rLen)) {
    return NULL;
  }
  if (yLen != xLen) return throwRange(env, "solarBlas.rmsnorm: y must be x's length");
  if (!normShape(env, xLen, wLen, rLen, &c)) return NULL;
  double eps = 0;
  if (napi_get_value_double(env, argv[4], &eps) != napi_ok || !finiteDouble(eps) || eps < 0) {
    return throwError(env, "solarBlas.rmsnorm: eps must be a finite number >= 0");
  }
  c.x = x;
  c.w = w;
  c.eps = (float)eps;
  parallelFor(c.rows, c.d, rmsnormRange, &c);
  return NULL;
}

napi_value solarRmsnormGrad(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!exactArgs(env, info, 6, argv, "rmsnormGrad")) return NULL;
  NormCtx c = {0};
  float *dy, *x, *w, *rstd;
  size_t dyLen, xLen, wLen, rLen, dxLen, dwLen;
  if (!floatArrayArg(env, argv[0], &dy, &dyLen) || !floatArrayArg(env, argv[1], &x, &xLen) ||
      !floatArrayArg(env, argv[2], &w, &wLen) || !floatArrayArg(env, argv[3], &rstd, &rLen) ||
      !floatArrayArg(env, argv[4], &c.dx, &dxLen) || !floatArrayArg(env, argv[5], &c.dw, &dwLen)) {
    return NULL;
  }
  if (dyLen != xLen || dxLen != xLen || dwLen != wLen) {
    return throwRange(env, "solarBlas.rmsnormGrad: dy and dx must be x's length, dw w's");
  }
  if (!normShape(env, xLen, wLen, rLen, &c)) return NULL;
  c.dy = dy;
  c.x = x;
  c.w = w;
  c.rstd = rstd;
  parallelFor(c.rows, c.d, rmsnormDxRange, &c);
  parallelFor(c.d, c.rows, rmsnormDwRange, &c);
  return NULL;
}
