// The attention softmax's fused kernels on the wasm heap (see solarFused.c for why and
// how they are threaded). JS API (trainer/backend/nativeBlas.ts):
//   softmaxGrad(dy, y, dx, L)              gradient of y = softmax(x) over rows of L:
//                                          dx = y * (dy - sum(dy * y))
//   maskedSoftmax(x, mask, y, L, S, maskRepeat)
//                                          y = softmax(x + mask) over rows of L; x is
//                                          [..., S, L], mask [Bm, S, L] (its slices repeat
//                                          every maskRepeat rows-of-S: 1 = one mask for all)
#include <math.h>

#include "solarNative.h"

// ---- softmax gradient over rows -------------------------------------------------------

typedef struct {
  float *a[3]; // dy, y, dx
  int64_t rowLength;
} SoftmaxGradCtx;

SOLAR_VECTOR_CLONES static void softmaxGradRange(const void *arg, int64_t begin, int64_t end) {
  const SoftmaxGradCtx *w = (const SoftmaxGradCtx *)arg;
  const int64_t L = w->rowLength;
  for (int64_t r = begin; r < end; r++) {
    const float *dy = w->a[0] + r * L, *y = w->a[1] + r * L;
    float *dx = w->a[2] + r * L;
    float dot = 0.0f;
    for (int64_t j = 0; j < L; j++) dot += dy[j] * y[j];
    for (int64_t j = 0; j < L; j++) dx[j] = y[j] * (dy[j] - dot);
  }
}

napi_value solarSoftmaxGrad(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!exactArgs(env, info, 4, argv, "softmaxGrad")) return NULL;
  SoftmaxGradCtx ctx;
  int64_t n = 0;
  if (!floatArgs(env, argv, 3, ctx.a, &n, "solarBlas.softmaxGrad: dy, y and dx must be Float32Arrays")) return NULL;
  if (napi_get_value_int64(env, argv[3], &ctx.rowLength) != napi_ok || ctx.rowLength < 1 || n % ctx.rowLength != 0) {
    return throwRange(env, "solarBlas.softmaxGrad: the row length must be a positive divisor of the arrays' length");
  }
  parallelFor(n / ctx.rowLength, ctx.rowLength, softmaxGradRange, &ctx);
  return NULL;
}

// ---- softmax(x + mask) over rows (attention scores; the mask additive, -1e9 for hidden keys)

typedef struct {
  const float *x, *mask;
  float *y;
  int64_t L, S, headsPerMask, maskSlices;
} MaskedSoftmaxCtx;

SOLAR_VECTOR_CLONES static void maskedSoftmaxRange(const void *arg, int64_t begin, int64_t end) {
  const MaskedSoftmaxCtx *c = (const MaskedSoftmaxCtx *)arg;
  const int64_t L = c->L;
  for (int64_t r = begin; r < end; r++) {
    // Row r is query s of slice r / S; mask slice (r / S / headsPerMask) mod maskSlices.
    const int64_t s = r % c->S;
    const int64_t slice = (r / c->S / c->headsPerMask) % c->maskSlices;
    const float *x = c->x + r * L, *m = c->mask + (slice * c->S + s) * L;
    float *y = c->y + r * L;
    float max = -3.0e38f; // not -INFINITY: -ffast-math assumes no infinities
    for (int64_t j = 0; j < L; j++) {
      const float z = x[j] + m[j];
      y[j] = z;
      max = z > max ? z : max;
    }
    float sum = 0.0f;
    // The exponent is held at -87 or above: under -ffast-math an underflowing expf is not
    // promised to be 0; e^-87 (~1.6e-38) is 0 to the sum all the same.
    for (int64_t j = 0; j < L; j++) {
      const float e = expf(fmaxf(y[j] - max, -87.0f));
      y[j] = e;
      sum += e;
    }
    const float inv = 1.0f / sum;
    for (int64_t j = 0; j < L; j++) y[j] *= inv;
  }
}

napi_value solarMaskedSoftmax(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!exactArgs(env, info, 6, argv, "maskedSoftmax")) return NULL;
  MaskedSoftmaxCtx c;
  size_t xLen = 0, mLen = 0, yLen = 0;
  c.x = floatArray(env, argv[0], &xLen);
  c.mask = floatArray(env, argv[1], &mLen);
  c.y = floatArray(env, argv[2], &yLen);
  if (c.x == NULL || c.mask == NULL || c.y == NULL) {
    return throwError(env, "solarBlas.maskedSoftmax: x, mask and y must be Float32Arrays");
  }
  if (napi_get_value_int64(env, argv[3], &c.L) != napi_ok || napi_get_value_int64(env, argv[4], &c.S) != napi_ok ||
      napi_get_value_int64(env, argv[5], &c.headsPerMask) != napi_ok) {
    return throwError(env, "solarBlas.maskedSoftmax: L, S and the mask repeat must be integers");
  }
  const int64_t plane = c.S * c.L;
  if (c.L < 1 || c.S < 1 || c.headsPerMask < 1 || yLen != xLen || xLen % plane != 0 || mLen == 0 ||
      mLen % plane != 0) {
    return throwRange(env, "solarBlas.maskedSoftmax: x and y must be [..., S, L] and mask [Bm, S, L]");
  }
  c.maskSlices = (int64_t)(mLen / plane);
  parallelFor((int64_t)(xLen / c.L), c.L, maskedSoftmaxRange, &c);
  return NULL;
}
