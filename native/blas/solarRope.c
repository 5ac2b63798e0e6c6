// Rotary positions fused with the split into heads (trainer/model/model.ts's toHeads, then
// rope.ts's applyRope, then the queries' 1/sqrt(hd)): one threaded pass instead of a
// transpose, a rotate-half product, two multiplies, an add and a scale, each a heap tensor
// of its own; the gradient is one pass as well. JS API (trainer/backend/nativeBlas.ts):
//   ropeHeads(x, cos, sin, out, B, S, H, hd, tableRows, scale, backward, rowStride, colOffset, rotate)
//     forward (backward = false): x, a projection's output [B*S, rowStride], its columns
//       colOffset..colOffset+H*hd read as [B, S, H, hd] (one of q, k, v in a fused
//       [B*S, (H + 2 KV) * hd] product, or all of [B*S, H*hd]) ->
//       out [B, H, S, hd] = scale * (x * cos + rotate_half(x) * sin), rotate_half(x) =
//       [-x2, x1] for the halves x1, x2 of hd (rotate = false: scale * x, the values);
//     backward (true): dy [B, H, S, hd] -> those columns of dx = scale * (dy * cos -
//       rotate_half(dy * sin)) (rotate_half is a signed permutation R, and R^T = -R);
//       the other columns of dx are left as they are;
//     cos, sin [tableRows, S, hd], tableRows 1 (one table for every row) or B.
#include "solarNative.h"

typedef struct {
  const float *x, *cos, *sin;
  float *out;
  int64_t S, H, hd, tableRows, rowStride, colOffset;
  float scale;
  bool backward, rotate;
} RopeCtx;

// Items are (b, s) pairs: one position of one row, all of its heads.
SOLAR_VECTOR_CLONES static void ropeRange(const void *arg, int64_t begin, int64_t end) {
  const RopeCtx *c = (const RopeCtx *)arg;
  const int64_t S = c->S, H = c->H, hd = c->hd, half = hd / 2;
  const float scale = c->scale;
  for (int64_t bs = begin; bs < end; bs++) {
    const int64_t b = bs / S, s = bs % S;
    const float *cs = c->cos + ((c->tableRows == 1 ? 0 : b) * S + s) * hd;
    const float *sn = c->sin + ((c->tableRows == 1 ? 0 : b) * S + s) * hd;
    for (int64_t h = 0; h < H; h++) {
      // [B, S, H, hd] side and [B, H, S, hd] side of this head at this position.
      const int64_t flat = bs * c->rowStride + c->colOffset + h * hd, heads = ((b * H + h) * S + s) * hd;
      if (!c->rotate) {
        const float *from = c->backward ? c->x + heads : c->x + flat;
        float *to = c->backward ? c->out + flat : c->out + heads;
        for (int64_t i = 0; i < hd; i++) to[i] = scale * from[i];
      } else if (!c->backward) {
        const float *x = c->x + flat;
        float *y = c->out + heads;
        for (int64_t i = 0; i < half; i++) y[i] = scale * (x[i] * cs[i] - x[i + half] * sn[i]);
        for (int64_t i = half; i < hd; i++) y[i] = scale * (x[i] * cs[i] + x[i - half] * sn[i]);
      } else {
        const float *dy = c->x + heads;
        float *dx = c->out + flat;
        for (int64_t i = 0; i < half; i++) dx[i] = scale * (dy[i] * cs[i] + dy[i + half] * sn[i + half]);
        for (int64_t i = half; i < hd; i++) dx[i] = scale * (dy[i] * cs[i] - dy[i - half] * sn[i - half]);
      }
    }
  }
}

napi_value solarRopeHeads(napi_env env, napi_callback_info info) {
  napi_value argv[14];
  if (!exactArgs(env, info, 14, argv, "ropeHeads")) return NULL;
  size_t len[4];
  float *a[4];
  int64_t n[5]; // B, S, H, hd, tableRows
  if (!floatsThenSizes(env, argv, 4, a, len, 5, n, "solarBlas.ropeHeads: x, cos, sin and out must be Float32Arrays",
                       "solarBlas.ropeHeads: B, S, H, hd and tableRows must be positive integers")) {
    return NULL;
  }
  double scale = 0;
  bool backward = false, rotate = true;
  int64_t rowStride = 0, colOffset = -1;
  if (napi_get_value_double(env, argv[9], &scale) != napi_ok || napi_get_value_bool(env, argv[10], &backward) != napi_ok ||
      napi_get_value_int64(env, argv[11], &rowStride) != napi_ok ||
      napi_get_value_int64(env, argv[12], &colOffset) != napi_ok || napi_get_value_bool(env, argv[13], &rotate) != napi_ok) {
    return throwError(env,
                      "solarBlas.ropeHeads: scale, rowStride and colOffset must be numbers, backward and rotate booleans");
  }
  const int64_t B = n[0], S = n[1], H = n[2], hd = n[3], tableRows = n[4];
  if (hd % 2 != 0 || (tableRows != 1 && tableRows != B) || colOffset < 0 || colOffset + H * hd > rowStride) {
    return throwRange(env, "solarBlas.ropeHeads: hd must be even, tableRows 1 or B, and the columns within a row");
  }
  const int64_t heads = B * S * H * hd, flat = B * S * rowStride, table = tableRows * S * hd;
  const int64_t xLen = backward ? heads : flat, outLen = backward ? flat : heads;
  if ((int64_t)len[0] != xLen || (int64_t)len[3] != outLen || (int64_t)len[1] != table || (int64_t)len[2] != table) {
    return throwRange(env, "solarBlas.ropeHeads: an array's length does not match its shape");
  }
  RopeCtx c = {a[0], a[1], a[2], a[3], S, H, hd, tableRows, rowStride, colOffset, (float)scale, backward, rotate};
  parallelFor(B * S, H * hd, ropeRange, &c);
  return NULL;
}
