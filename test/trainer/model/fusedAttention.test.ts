// Decoding's fused attention (fusedOps.ts attend with `inference`; the addon's
// solarAttention.c through wasmFused.ts): softmax(q k^T + mask) v must equal the tf ops on
// cpu, with grouped-query heads, padding and a cache's unwritten slots hidden by the mask.
// Skips where the addon is not built, as fusedOps.test.ts does.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { loadNativeBlas } from '../../../trainer/backend/nativeBlas';
import { ATTENTION_KERNEL } from '../../../trainer/backend/wasmFused';
import { registerWasmKernelOverrides, useNativeBlas } from '../../../trainer/backend/wasmKernels';
import { attend } from '../../../trainer/model/fusedOps';
import { compare, fromSnap, randSnap, type Snap } from '../../helpers/backendCompare';

const loaded = loadNativeBlas();
const skip = loaded.ok ? false : `native BLAS unavailable: ${loaded.reason}`;

before(() => {
  registerWasmKernelOverrides();
  useNativeBlas(loaded.ok ? loaded.blas : null);
});

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

test('the addon refuses attention arrays that do not fit their shapes', { skip }, () => {
  if (!loaded.ok) return;
  const a = new Float32Array(8);
  assert.throws(() => loaded.blas.attention(a, a, a, a, a, 1, 2, 1, 1, 4, 4, 1), /length does not match/);
  assert.throws(() => loaded.blas.attention(a, a, a, a, a, 1, 3, 2, 1, 4, 4, 1), /KV must divide H/);
  assert.throws(() => loaded.blas.attention(a, a, a, a, a, 1, 2, 1, 0, 4, 4, 1), /positive integers/);
});
