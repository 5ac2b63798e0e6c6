// Attention over a key/value cache in one threaded pass: out = softmax(q k^T + mask) v per
// head, for decoding (a few new queries against many cached keys). JS API
// (trainer/backend/nativeBlas.ts):
//   attention(q, k, v, mask, out, B, H, KV, S, L, hd, maskSlices)
//     q, out [B, H, S, hd] (q already scaled by 1/sqrt(hd)); k, v [B, KV, L, hd], head h
//     reading key/value head h / (H / KV) (grouped-query attention); mask [maskSlices, S, L],
//     additive, maskSlices 1 (one for every row) or B.
//
// Why: decoding step by step, the tfjs route is two batched products of B*H slices each
// 1 x hd x L (too small for the BLAS to run well), a softmax over [B, H, 1, L], and under
// grouped-query attention a tile of the whole cache; at batch 32 they were ~40% of a tiny
// model's decoding time. Here each head's keys and values are read once, keys the mask
// hides (below HIDDEN: padding, and a cache's slots not yet written) are not read at all,
// and no [B, H, S, L] tensor is made.
#include <math.h>
#include <stdlib.h>

#include "solarNative.h"

// An additive mask value below this hides the key: its weight, exp(-1e8 + ...), is 0 in
// float32 whatever the scores, so skipping it gives the same result. A query whose keys
// are all hidden gets zeros (tfjs's softmax would spread it evenly; the model never asks).
#define HIDDEN (-1.0e8f)

typedef struct {
  const float *q, *k, *v, *mask;
  float *out;
  int64_t H, KV, S, L, hd, maskSlices;
  volatile int failed; // a thread's scratch allocation failed
} AttentionCtx;

SOLAR_VECTOR_CLONES static void attentionRange(const void *arg, int64_t begin, int64_t end) {
  AttentionCtx *c = (AttentionCtx *)arg;
  const int64_t S = c->S, L = c->L, hd = c->hd, rep = c->H / c->KV;
  float *z = (float *)malloc((size_t)L * sizeof(float)); // one query's scores over the keys
  if (z == NULL) {
    c->failed = 1;
    return;
  }
  for (int64_t bh = begin; bh < end; bh++) {
    const int64_t b = bh / c->H, h = bh % c->H;
    const float *K = c->k + (b * c->KV + h / rep) * L * hd;
    const float *V = c->v + (b * c->KV + h / rep) * L * hd;
    const float *maskRows = c->mask + (c->maskSlices == 1 ? 0 : b) * S * L;
    for (int64_t s = 0; s < S; s++) {
      const float *q = c->q + (bh * S + s) * hd, *m = maskRows + s * L;
      float *o = c->out + (bh * S + s) * hd;
      float max = -3.0e38f; // not -INFINITY: -ffast-math assumes no infinities
      for (int64_t j = 0; j < L; j++) {
        if (m[j] < HIDDEN) {
          z[j] = -3.0e38f;
          continue;
        }
        const float *kj = K + j * hd;
        float dot = 0.0f;
        for (int64_t i = 0; i < hd; i++) dot += q[i] * kj[i];
        z[j] = dot + m[j];
        max = z[j] > max ? z[j] : max;
      }
      // The weights in a separate pass, so expf vectorises (libmvec); held at -87 or above
      // as in solarSoftmax.c (fast-math's expf near underflow), hidden keys set to 0.
      float sum = 0.0f;
      for (int64_t j = 0; j < L; j++) {
        const float e = expf(fmaxf(z[j] - max, -87.0f));
        z[j] = m[j] < HIDDEN ? 0.0f : e;
        sum += z[j];
      }
      for (int64_t i = 0; i < hd; i++) o[i] = 0.0f;
      for (int64_t j = 0; j < L; j++) {
        if (z[j] == 0.0f) continue; // hidden (its row of V is not read) or underflowed
        const float e = z[j], *vj = V + j * hd;
        for (int64_t i = 0; i < hd; i++) o[i] += e * vj[i];
      }
      if (sum > 0.0f) {
        const float inv = 1.0f / sum;
        for (int64_t i = 0; i < hd; i++) o[i] *= inv;
      }
    }
  }
  free(z);
}

napi_value solarAttention(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  if (!exactArgs(env, info, 12, argv, "attention")) return NULL;
  size_t len[5];
  float *a[5];
  int64_t n[7]; // B, H, KV, S, L, hd, maskSlices
  if (!floatsThenSizes(env, argv, 5, a, len, 7, n, "solarBlas.attention: q, k, v, mask and out must be Float32Arrays",
                       "solarBlas.attention: B, H, KV, S, L, hd and maskSlices must be positive integers")) {
    return NULL;
  }
  const int64_t B = n[0], H = n[1], KV = n[2], S = n[3], L = n[4], hd = n[5], maskSlices = n[6];
  if (H % KV != 0 || (maskSlices != 1 && maskSlices != B)) {
    return throwRange(env, "solarBlas.attention: KV must divide H, and maskSlices be 1 or B");
  }
  if ((int64_t)len[0] != B * H * S * hd || (int64_t)len[4] != B * H * S * hd || (int64_t)len[1] != B * KV * L * hd ||
      (int64_t)len[2] != B * KV * L * hd || (int64_t)len[3] != maskSlices * S * L) {
    return throwRange(env, "solarBlas.attention: an array's length does not match its shape");
  }
  AttentionCtx c = {a[0], a[1], a[2], a[3], a[4], H, KV, S, L, hd, maskSlices, 0};
  parallelFor(B * H, S * L * hd, attentionRange, &c);
  if (c.failed) return throwError(env, "solarBlas.attention: out of memory for the scores");
  return NULL;
}
