// The attention's fused kernels (wasmAttentionKernels.ts; the addon's solarAttention.c and
// solarRope.c) must equal the tf ops on cpu: decoding's attention (fusedOps.ts attend with
// `inference`) with grouped-query heads, padding and a cache's unwritten slots hidden by the
// mask; ropeHeads (into heads with rotary positions) both ways. Skips where the addon is not
// built, as fusedOps.test.ts does.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  ATTENTION_KERNEL,
  QKV_HEADS_GRAD_KERNEL,
  QKV_HEADS_KERNEL,
  ROPE_HEADS_GRAD_KERNEL,
  ROPE_HEADS_KERNEL,
} from '../../../trainer/backend/wasmFused';
import { attend, qkvHeads, ropeHeads } from '../../../trainer/model/fusedOps';
import { ropeTables } from '../../../trainer/model/rope';
import { compare, fromSnap, randSnap, type Snap, withGrads } from '../../helpers/backendCompare';
import { nativeBlas, nativeSkip, useWasmWithNative } from '../../helpers/nativeBlas';

const loaded = nativeBlas;
const skip = nativeSkip;

before(useWasmWithNative);

/**
 * The decoding mask [Bm, 1, S, cap]: S new queries at slots L-S..L-1 of a cache of cap
 * slots; row b's first pad[b] slots are padding; slots past each query are the future.
 */
function decodeMask(pad: number[], S: number, L: number, cap: number): Snap {
  const data: number[] = [];
  for (const p of pad)
    for (let s = 0; s < S; s++) for (let j = 0; j < cap; j++) data.push(j < p || j > L - S + s ? -1e9 : 0);
  return { shape: [pad.length, 1, S, cap], dtype: 'float32', data };
}

for (const { B, H, KV, S, L, cap, hd, pad } of [
  { B: 2, H: 4, KV: 2, S: 1, L: 6, cap: 9, hd: 8, pad: [0, 3] }, // grouped-query, one step
  { B: 3, H: 2, KV: 2, S: 3, L: 5, cap: 5, hd: 4, pad: [1] }, // three queries, one mask for all rows
  { B: 8, H: 8, KV: 4, S: 1, L: 300, cap: 420, hd: 64, pad: [0, 5, 9, 0, 1, 2, 3, 4] }, // threaded
]) {
  test(`fused decoding attention equals the tf ops on cpu: B ${B}, H ${H}, KV ${KV}, S ${S}, L ${L} of ${cap}`, {
    skip,
  }, async () => {
    const mask = decodeMask(pad, S, L, cap);
    const q = randSnap([B, H, S, hd], -2, 2);
    const k = randSnap([B, KV, cap, hd], -2, 2);
    const v = randSnap([B, KV, cap, hd]);
    // Hidden slots (padding, the future) with values far off the rest: none may leak through.
    for (let i = 0; i < k.data.length; i++) if (Math.floor(i / hd) % cap >= L) k.data[i] = v.data[i] = 50;
    const f = (...xs: tf.Tensor[]): tf.Tensor[] => [
      attend(xs[0] as tf.Tensor4D, xs[1] as tf.Tensor4D, xs[2] as tf.Tensor4D, fromSnap(mask), true),
    ];
    await compare('attend', [q, k, v], f, 1e-5);
  });
}

test('on wasm with the addon, attention runs fused only for inference with few queries', { skip }, async () => {
  assert.ok(await tf.setBackend('wasm'));
  const kernels = async (inference: boolean, S: number): Promise<string[]> => {
    const info = await tf.profile(() => {
      const q = tf.ones([1, 2, S, 4]) as tf.Tensor4D;
      const kv = tf.ones([1, 1, 12, 4]) as tf.Tensor4D;
      tf.dispose([q, kv, attend(q, kv, kv, tf.zeros([1, 1, S, 12]), inference)]);
    });
    return info.kernels.map((k) => k.name);
  };
  assert.ok((await kernels(true, 1)).includes(ATTENTION_KERNEL));
  assert.ok(!(await kernels(false, 1)).includes(ATTENTION_KERNEL), 'training needs the differentiable ops');
  assert.ok(!(await kernels(true, 12)).includes(ATTENTION_KERNEL), 'a prefill is a product for the BLAS');
});

test('the addon refuses attention and rotary arrays that do not fit their shapes', { skip }, () => {
  if (!loaded.ok) return;
  const a = new Float32Array(8);
  assert.throws(() => loaded.blas.attention(a, a, a, a, a, 1, 2, 1, 1, 4, 4, 1), /length does not match/);
  assert.throws(() => loaded.blas.attention(a, a, a, a, a, 1, 3, 2, 1, 4, 4, 1), /KV must divide H/);
  assert.throws(() => loaded.blas.attention(a, a, a, a, a, 1, 2, 1, 0, 4, 4, 1), /positive integers/);
  assert.throws(() => loaded.blas.ropeHeads(a, a, a, a, 1, 1, 2, 4, 1, 1, false, 8, 0, true), /length does not match/);
  assert.throws(() => loaded.blas.ropeHeads(a, a, a, a, 1, 1, 3, 3, 1, 1, false, 9, 0, true), /hd must be even/);
});

for (const { B, S, H, hd, rows, scale } of [
  { B: 2, S: 5, H: 3, hd: 8, rows: 1, scale: 1 }, // one table for every row (training)
  { B: 3, S: 1, H: 2, hd: 4, rows: 3, scale: 0.5 }, // a table per row (left-padded decoding)
  { B: 4, S: 96, H: 8, hd: 64, rows: 1, scale: 0.125 }, // 196k elements x 2 passes: threaded
]) {
  test(`fused ropeHeads and its gradient equal the tf ops on cpu: B ${B}, S ${S}, H ${H}, hd ${hd}, tables ${rows}`, {
    skip,
  }, async () => {
    const positions = Array.from({ length: rows }, (_, b) => Array.from({ length: S }, (_, s) => 3 * b + s));
    const f = (x: tf.Tensor): tf.Tensor => {
      const { cos, sin } = ropeTables(positions, hd, 10000);
      return ropeHeads(x as tf.Tensor2D, B, S, H, cos, sin, scale);
    };
    // 1e-4 for the big one: output 1 is the weighted sum of all 196k values, in another order.
    const tol = B * S * H * hd > 1e5 ? 1e-4 : 1e-5;
    await compare('ropeHeads', [randSnap([B * S, H * hd], -3, 3)], withGrads(f, randSnap([B, H, S, hd])), tol);
  });
}

for (const { B, S, H, KV, hd, rows } of [
  { B: 2, S: 5, H: 4, KV: 2, hd: 8, rows: 1 }, // grouped-query
  { B: 3, S: 2, H: 2, KV: 2, hd: 4, rows: 3 }, // a table per row
]) {
  test(`fused qkvHeads (one product's q, k, v into heads) and its gradient equal the tf ops on cpu: H ${H}, KV ${KV}, tables ${rows}`, {
    skip,
  }, async () => {
    const positions = Array.from({ length: rows }, (_, b) => Array.from({ length: S }, (_, s) => 2 * b + s));
    // Each output weighted by its own random r: the gradient has all three blocks of dqkv.
    const weights = [randSnap([B, H, S, hd]), randSnap([B, KV, S, hd]), randSnap([B, KV, S, hd])];
    const f = (x: tf.Tensor): tf.Tensor[] => {
      const { cos, sin } = ropeTables(positions, hd, 10000);
      const loss = (y: tf.Tensor): tf.Scalar => {
        const parts = qkvHeads(y as tf.Tensor2D, B, S, H, KV, cos, sin, 0.25);
        return tf.addN(parts.map((p, i) => tf.sum(tf.mul(p, fromSnap(weights[i]))))) as tf.Scalar;
      };
      return [...qkvHeads(x as tf.Tensor2D, B, S, H, KV, cos, sin, 0.25), tf.grad(loss)(x)];
    };
    await compare('qkvHeads', [randSnap([B * S, (H + 2 * KV) * hd], -3, 3)], f, 1e-5);
  });
}

test('on wasm with the addon, ropeHeads and qkvHeads run the fused kernels both ways', { skip }, async () => {
  assert.ok(await tf.setBackend('wasm'));
  const info = await tf.profile(() => {
    const x = tf.ones([2, 8]);
    const { cos, sin } = ropeTables([[0, 1]], 4, 10000);
    const g = tf.grad((a: tf.Tensor) => tf.sum(ropeHeads(a as tf.Tensor2D, 1, 2, 2, cos, sin)))(x);
    tf.dispose([x, cos, sin, g]);
  });
  const names = info.kernels.map((k) => k.name);
  assert.ok(names.includes(ROPE_HEADS_KERNEL) && names.includes(ROPE_HEADS_GRAD_KERNEL), names.join(', '));
  const fused = await tf.profile(() => {
    const x = tf.ones([2, 16]);
    const { cos, sin } = ropeTables([[0, 1]], 4, 10000);
    const g = tf.grad((a: tf.Tensor) =>
      tf.addN(qkvHeads(a as tf.Tensor2D, 1, 2, 2, 1, cos, sin, 1).map((p) => tf.sum(p))),
    )(x);
    tf.dispose([x, cos, sin, g]);
  });
  const qkv = fused.kernels.map((k) => k.name);
  assert.ok(qkv.includes(QKV_HEADS_KERNEL) && qkv.includes(QKV_HEADS_GRAD_KERNEL), qkv.join(', '));
});
