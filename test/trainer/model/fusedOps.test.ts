// swiglu, maskedSoftmax and rmsNorm (trainer/model/fusedOps.ts): on wasm with the native addon
// they run the fused kernels (trainer/backend/wasmFused.ts, native/blas/solarFused.c);
// values and gradients must equal the plain tf ops on cpu, extremes included. Skips where the
// addon is not built, unless SOLAR_EXPECT_NATIVE_BLAS=1 (wasmBlasMatMul.test.ts fails then).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  MASKED_SOFTMAX_KERNEL,
  RMSNORM_GRAD_KERNEL,
  SOFTMAX_GRAD_KERNEL,
  SWIGLU_KERNEL,
} from '../../../trainer/backend/wasmFused';
import { useNativeBlas } from '../../../trainer/backend/wasmKernels';
import { maskedSoftmax, rmsNorm, swiglu } from '../../../trainer/model/fusedOps';
import { compare, fromSnap, randSnap, type Snap, withGrads } from '../../helpers/backendCompare';
import { nativeBlas, nativeSkip, useWasmWithNative } from '../../helpers/nativeBlas';

const loaded = nativeBlas;
const skip = nativeSkip;

before(useWasmWithNative);

test('fused swiglu value and gradients match the tf ops on cpu (a threaded size, sigmoid extremes)', {
  skip,
}, async () => {
  // 700 x 400 = 280k elements: past the native threading threshold (2^18).
  const gate = randSnap([700, 400], -6, 6);
  gate.data[0] = 100; // sigmoid 1: silu = gate
  gate.data[1] = -100; // sigmoid ~0 (expf(100) overflows float32): silu -0, gradient ~0
  gate.data[2] = 0;
  const up = randSnap([700, 400]);
  const f = (g: tf.Tensor, u: tf.Tensor): tf.Tensor => swiglu(g as tf.Tensor2D, u as tf.Tensor2D);
  await compare('swiglu', [gate, up], withGrads(f, randSnap([700, 400])), 1e-5);
});

/** A causal additive mask [Bm, 1, S, L] (-1e9 above the diagonal), plus hidden padding keys in slice 1. */
function causalMask(Bm: number, S: number, L: number): Snap {
  const data: number[] = [];
  for (let b = 0; b < Bm; b++)
    for (let s = 0; s < S; s++) for (let j = 0; j < L; j++) data.push(j > L - S + s || (b === 1 && j < 2) ? -1e9 : 0);
  return { shape: [Bm, 1, S, L], dtype: 'float32', data };
}

for (const [B, H, S, L, Bm] of [
  [2, 3, 5, 7, 1],
  [2, 3, 5, 7, 2],
  [6, 4, 100, 120, 6], // 288k elements: threaded
]) {
  test(`fused masked softmax and its gradient match the tf ops on cpu: [${B}, ${H}, ${S}, ${L}], mask batch ${Bm}`, {
    skip,
  }, async () => {
    const mask = causalMask(Bm, S, L);
    const f = (x: tf.Tensor): tf.Tensor => maskedSoftmax(x as tf.Tensor4D, fromSnap(mask));
    await compare('maskedSoftmax', [randSnap([B, H, S, L], -5, 5)], withGrads(f, randSnap([B, H, S, L])), 1e-5);
  });
}

test('on wasm with the addon, attention weights run the fused kernels both ways', { skip }, async () => {
  assert.ok(await tf.setBackend('wasm'));
  const info = await tf.profile(() => {
    const x = tf.ones([1, 1, 2, 3]);
    const m = tf.zeros([1, 1, 2, 3]);
    const g = tf.grad((a: tf.Tensor) =>
      tf.sum(tf.mul(maskedSoftmax(a as tf.Tensor4D, m), tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]))),
    )(x);
    tf.dispose([x, m, g]);
  });
  const names = info.kernels.map((k) => k.name);
  assert.ok(names.includes(MASKED_SOFTMAX_KERNEL) && names.includes(SOFTMAX_GRAD_KERNEL), names.join(', '));
});

for (const [rows, d] of [
  [1100, 256], // 281k elements: threaded
  [3, 5],
]) {
  test(`fused RMSNorm value and gradients (x and w) match the tf ops on cpu, ${rows} x ${d}`, { skip }, async () => {
    const x = randSnap([rows, d], -3, 3);
    for (let j = 0; j < d; j++) x.data[j] = 0; // an all-zero row: rstd = 1/sqrt(eps)
    const w = randSnap([d], 0.5, 1.5);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => rmsNorm(a as tf.Tensor2D, b, 1e-5);
    // 5e-5: output 1 is the weighted sum over all 281k values, summed in another order.
    await compare('rmsNorm', [x, w], withGrads(f, randSnap([rows, d])), 5e-5);
  });
}

test('on wasm with the addon, RMSNorm differentiates with the fused kernel', { skip }, async () => {
  assert.ok(await tf.setBackend('wasm'));
  const info = await tf.profile(() => {
    const x = tf.tensor2d([[1, 2, 3]]);
    const w = tf.tensor1d([1, 1, 2]);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(rmsNorm(a as tf.Tensor2D, b, 1e-6)))([x, w]);
    tf.dispose([x, w, ...g]);
  });
  assert.ok(info.kernels.some((k) => k.name === RMSNORM_GRAD_KERNEL));
});

test('on wasm with the addon, swiglu runs the fused kernel; without it, the tf ops', { skip }, async () => {
  assert.ok(await tf.setBackend('wasm'));
  const names = async (): Promise<string[]> => {
    const info = await tf.profile(() => {
      const g = tf.tensor2d([[1, -2, 3]]);
      const r = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(swiglu(a as tf.Tensor2D, b as tf.Tensor2D)))([g, g]);
      tf.dispose([g, ...r]);
    });
    return info.kernels.map((k) => k.name);
  };
  assert.ok((await names()).includes(SWIGLU_KERNEL));
  useNativeBlas(null);
  try {
    const plain = await names();
    assert.ok(!plain.includes(SWIGLU_KERNEL) && plain.includes('Sigmoid'), plain.join(', '));
  } finally {
    useNativeBlas(loaded.ok ? loaded.blas : null);
  }
});

test('the addon refuses arrays of different lengths or types before touching them', { skip }, () => {
  if (!loaded.ok) return;
  const a = new Float32Array(4);
  assert.throws(() => loaded.blas.swiglu(a, a, new Float32Array(3)), /one length/);
  assert.throws(
    () => loaded.blas.swigluGrad(a, a, a, a, new Int32Array(4) as unknown as Float32Array),
    /Float32Arrays/,
  );
  assert.throws(() => loaded.blas.softmaxGrad(a, a, a, 3), /positive divisor/);
  assert.throws(() => loaded.blas.maskedSoftmax(a, new Float32Array(3), a, 2, 2, 1), /mask \[Bm, S, L\]/);
  assert.throws(() => loaded.blas.rmsnorm(a, new Float32Array(3), a, new Float32Array(1), 1e-5), /rows x d/);
  assert.throws(() => loaded.blas.rmsnormGrad(a, a, new Float32Array(2), new Float32Array(2), a, a), /dw w's/);
  assert.throws(() => loaded.blas.adamw(a, a, a, a, a, a, a, 0.9, 0.99, Number.NaN, 1, 1, 1, 1, 1), /finite/);
});
