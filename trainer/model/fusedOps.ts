// Model ops with fused kernels where the backend has them (wasm with the native addon:
// trainer/backend/wasmFused.ts), as custom-gradient ops (attention while decoding: forward
// only); elsewhere the plain tf ops, which autodiff differentiates. Same values either way
// (test/trainer/model/fusedOps.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import {
  ATTENTION_KERNEL,
  MASKED_SOFTMAX_KERNEL,
  QKV_HEADS_GRAD_KERNEL,
  QKV_HEADS_KERNEL,
  RMSNORM_GRAD_KERNEL,
  RMSNORM_KERNEL,
  ROPE_HEADS_GRAD_KERNEL,
  ROPE_HEADS_KERNEL,
  SOFTMAX_GRAD_KERNEL,
  SWIGLU_GRAD_KERNEL,
  SWIGLU_KERNEL,
} from '../backend/wasmFused';
import { applyRope } from './rope';

const has = (...kernels: string[]): boolean => kernels.every((k) => tf.getKernel(k, tf.getBackend()) !== undefined);

/** silu(gate) * up = gate * sigmoid(gate) * up, elementwise; gate, up: [N, F]. */
export function swiglu(gate: tf.Tensor2D, up: tf.Tensor2D): tf.Tensor2D {
  if (!has(SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL)) {
    return tf.mul(tf.mul(gate, tf.sigmoid(gate)), up) as tf.Tensor2D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [g, u] = args as tf.Tensor[];
    (args[2] as tf.GradSaveFunc)([g, u]);
    return {
      value: tf.engine().runKernel(SWIGLU_KERNEL, { gate: g, up: u }) as tf.Tensor,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.engine().runKernel(SWIGLU_GRAD_KERNEL, { dy: dy as tf.Tensor, gate: saved[0], up: saved[1] }) as tf.Tensor[],
    };
  });
  return op(gate, up) as tf.Tensor2D;
}

/**
 * The attention weights softmax(scores + mask) over the keys; scores [B, H, S, L], mask
 * [1 or B, 1, S, L] (additive, a constant: no gradient). With the fused kernels both passes
 * are one each (tfjs: an add, its softmax, then a multiply, a sum, a subtract and a
 * multiply for the gradient).
 */
export function maskedSoftmax(scores: tf.Tensor4D, mask: tf.Tensor): tf.Tensor4D {
  if (!has(MASKED_SOFTMAX_KERNEL, SOFTMAX_GRAD_KERNEL)) return tf.softmax(tf.add(scores, mask)) as tf.Tensor4D;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const y = tf.engine().runKernel(MASKED_SOFTMAX_KERNEL, { x: args[0] as tf.Tensor, mask }) as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        tf.engine().runKernel(SOFTMAX_GRAD_KERNEL, { dy: dy as tf.Tensor, y: saved[0] }) as tf.Tensor,
      ],
    };
  });
  return op(scores) as tf.Tensor4D;
}

/** RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * w. x: [N, d], w: [d]. */
export function rmsNorm(x: tf.Tensor2D, w: tf.Tensor, eps: number): tf.Tensor2D {
  if (!has(RMSNORM_KERNEL, RMSNORM_GRAD_KERNEL)) {
    const ms = tf.mean(tf.square(x), -1, true); // [N, 1]
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w) as tf.Tensor2D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, wi] = args as tf.Tensor[];
    // rstd [N] = 1 / sqrt(mean(x^2) + eps), kept for the backward pass.
    const [y, rstd] = tf.engine().runKernel(RMSNORM_KERNEL, { x: xi, w: wi }, { eps }) as tf.Tensor[];
    (args[2] as tf.GradSaveFunc)([xi, wi, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const inputs = { dy: dy as tf.Tensor, x: saved[0], w: saved[1], rstd: saved[2] };
        return tf.engine().runKernel(RMSNORM_GRAD_KERNEL, inputs) as tf.Tensor[];
      },
    };
  });
  return op(x, w) as tf.Tensor2D;
}

/**
 * Grouped-query attention: each of the KV key/value heads serves nRep = H / KV query heads,
 * [B, KV, L, hd] -> [B, H, L, hd] with head j reading key/value head floor(j / nRep)
 * (Hugging Face's repeat_kv).
 */
function repeatKv(x: tf.Tensor4D, nRep: number): tf.Tensor4D {
  if (nRep === 1) return x;
  const [B, KV, L, hd] = x.shape;
  const tiled = tf.tile(tf.reshape(x, [B, KV, 1, L * hd]), [1, 1, nRep, 1]); // [B, KV, nRep, L*hd]
  return tf.reshape(tiled, [B, KV * nRep, L, hd]);
}

/** Up to this many new queries per row, inference runs the fused kernel (decoding is 1). */
const FUSED_QUERIES = 8;

/**
 * softmax(q k^T + mask) v: q [B, H, S, hd] (already scaled by 1/sqrt(hd)), k, v
 * [B, KV, L, hd] with KV dividing H, mask [1 or B, 1, S, L] -> [B, H, S, hd]. For
 * `inference` (no gradient will be taken: decoding) with few queries, the fused kernel
 * where the backend has it: each head's cached keys read once, hidden ones skipped.
 */
export function attend(
  q: tf.Tensor4D,
  k: tf.Tensor4D,
  v: tf.Tensor4D,
  mask: tf.Tensor,
  inference = false,
): tf.Tensor4D {
  if (inference && q.shape[2] <= FUSED_QUERIES && has(ATTENTION_KERNEL)) {
    return tf.engine().runKernel(ATTENTION_KERNEL, { q, k, v, mask }) as tf.Tensor4D;
  }
  const nRep = q.shape[1] / k.shape[1];
  const scores = tf.matMul(q, repeatKv(k, nRep), false, true) as tf.Tensor4D; // [B, H, S, L]
  return tf.matMul(maskedSoftmax(scores, mask), repeatKv(v, nRep)) as tf.Tensor4D;
}

/** Split [B*S, H*hd] into heads: [B, H, S, hd]. */
export function toHeads(x: tf.Tensor2D, B: number, S: number, H: number): tf.Tensor4D {
  const hd = x.shape[1] / H;
  return tf.transpose(tf.reshape(x, [B, S, H, hd]), [0, 2, 1, 3]);
}

/**
 * A projection's output into heads with rotary positions, scaled: x [B*S, H*hd] ->
 * [B, H, S, hd] = scale * applyRope(toHeads(x)); cos, sin [1 or B, 1, S, hd] (constants,
 * no gradient). Fused where the backend has the kernels (both passes one each).
 */
export function ropeHeads(
  x: tf.Tensor2D,
  B: number,
  S: number,
  H: number,
  cos: tf.Tensor,
  sin: tf.Tensor,
  scale = 1,
): tf.Tensor4D {
  if (!has(ROPE_HEADS_KERNEL, ROPE_HEADS_GRAD_KERNEL)) {
    const turned = applyRope(toHeads(x, B, S, H), cos, sin);
    return scale === 1 ? turned : tf.mul(turned, scale);
  }
  const attrs = { B, S, H, scale };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    // Saved, not only closed over: tables made inside a gradient's forward pass (the
    // model's) are disposed when it ends, unless the tape keeps them.
    (args[1] as tf.GradSaveFunc)([cos, sin]);
    return {
      value: tf.engine().runKernel(ROPE_HEADS_KERNEL, { x: args[0] as tf.Tensor, cos, sin }, attrs) as tf.Tensor,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        tf
          .engine()
          .runKernel(ROPE_HEADS_GRAD_KERNEL, { x: dy as tf.Tensor, cos: saved[0], sin: saved[1] }, attrs) as tf.Tensor,
      ],
    };
  });
  return op(x) as tf.Tensor4D;
}

/**
 * The fused q, k, v projection's output into heads: qkv [B*S, (H + 2 KV) * hd] (columns:
 * q's H heads, then k's KV, then v's KV) -> q [B, H, S, hd] = scale * rope(q), k [B, KV, S, hd]
 * = rope(k), v [B, KV, S, hd]; cos, sin [1 or B, 1, S, hd], constants. One kernel each way
 * where the backend has them (the three gradients land in one dqkv), else slices and
 * ropeHeads.
 */
export function qkvHeads(
  qkv: tf.Tensor2D,
  B: number,
  S: number,
  H: number,
  KV: number,
  cos: tf.Tensor,
  sin: tf.Tensor,
  scale: number,
): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  if (has(QKV_HEADS_KERNEL, QKV_HEADS_GRAD_KERNEL)) {
    return tf.engine().runKernel(QKV_HEADS_KERNEL, { qkv, cos, sin }, { B, S, H, KV, scale }) as unknown as [
      tf.Tensor4D,
      tf.Tensor4D,
      tf.Tensor4D,
    ];
  }
  const hd = qkv.shape[1] / (H + 2 * KV);
  const [q, k, v] = tf.split(qkv, [H * hd, KV * hd, KV * hd], 1) as tf.Tensor2D[];
  return [ropeHeads(q, B, S, H, cos, sin, scale), ropeHeads(k, B, S, KV, cos, sin), toHeads(v, B, S, KV)];
}

/** Whether qkvHeads runs fused here (else the separate projections are as fast, and simpler). */
export function fusedQkv(): boolean {
  return has(QKV_HEADS_KERNEL, QKV_HEADS_GRAD_KERNEL);
}
