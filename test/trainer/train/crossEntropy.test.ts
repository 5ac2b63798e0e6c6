// tokenNll (trainer/train/crossEntropy.ts): values against a float64 log-sum-exp written
// out here, gradients against tf.logSoftmax's autodiff, on cpu and wasm; extreme logits;
// and that on wasm neither pass runs the slow Exp kernel.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelOverrides } from '../../../trainer/backend/wasmKernels';
import { tokenNll } from '../../../trainer/train/crossEntropy';
import { compare, fromSnap, intSnap, randSnap, type Snap } from '../../helpers/backendCompare';

before(() => {
  registerWasmKernelOverrides();
});

/** -log softmax(z)[t] in float64, row by row. */
function nll64(z: Snap, t: Snap): number[] {
  const V = z.shape[z.shape.length - 1];
  return t.data.map((target, n) => {
    const row = z.data.slice(n * V, (n + 1) * V);
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
    return lse - row[target];
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`tokenNll on ${backend} equals the float64 log-sum-exp, including logits 200 apart`, async () => {
    assert.ok(await tf.setBackend(backend));
    const z = randSnap([2, 3, 11], -4, 4);
    z.data[0] = 150; // row 0: one logit far above the rest (their exp underflows in float32)
    z.data[11 + 5] = -60;
    const t = intSnap([2, 3], 0, 11);
    t.data[0] = 1; // row 0's target is one of the underflowed ones: nll ~ 150 + 4
    const got = tf.tidy(() => Array.from(tokenNll(fromSnap(z), fromSnap(t)).dataSync()));
    const want = nll64(z, t);
    assert.equal(got.length, 6);
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 1e-4 * Math.max(1, want[i]), `[${i}] ${g} vs ${want[i]}`));
    assert.ok(want[0] > 140, 'the extreme row is exercised');
  });
}

test('tokenNll value and gradient match logSoftmax autodiff, and wasm matches cpu', async () => {
  const z = randSnap([4, 7, 13], -3, 3);
  const t = intSnap([4, 7], 0, 13);
  const w = randSnap([4, 7]); // a non-trivial dnll
  const viaOp = (x: tf.Tensor): tf.Tensor[] => {
    const f = (y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tokenNll(y, fromSnap(t)), fromSnap(w)));
    const { value, grad } = tf.valueAndGrad(f)(x);
    return [value, grad];
  };
  const viaLogSoftmax = (x: tf.Tensor): tf.Tensor[] => {
    const f = (y: tf.Tensor): tf.Scalar => {
      const picked = tf.sum(tf.mul(tf.logSoftmax(y), tf.oneHot(fromSnap(t), 13, 1, 0, 'float32')), -1);
      return tf.sum(tf.mul(tf.neg(picked), fromSnap(w)));
    };
    const { value, grad } = tf.valueAndGrad(f)(x);
    return [value, grad];
  };
  await compare('tokenNll vs logSoftmax', [z], (x) => [...viaOp(x), ...viaLogSoftmax(x)]);
  // And on one backend, the op against autodiff of the textbook form.
  assert.ok(await tf.setBackend('cpu'));
  tf.tidy(() => {
    const x = fromSnap(z);
    const [v1, g1] = viaOp(x);
    const [v2, g2] = viaLogSoftmax(x);
    assert.ok(Math.abs(v1.dataSync()[0] - v2.dataSync()[0]) < 1e-4);
    const d = tf.max(tf.abs(tf.sub(g1, g2))).dataSync()[0];
    assert.ok(d < 1e-5, `gradient max |diff| ${d}`);
  });
});

test('on wasm, tokenNll forward and backward run no Exp kernel', async () => {
  assert.ok(await tf.setBackend('wasm'));
  const z = tf.randomNormal([6, 40]);
  const t = tf.tensor1d([0, 5, 39, 2, 2, 17], 'int32');
  const info = await tf.profile(() => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tokenNll(x, t)))(z);
    g.dataSync();
    g.dispose();
  });
  const names = info.kernels.map((k) => k.name);
  assert.ok(names.includes('Softmax'), `kernels: ${names.join(', ')}`);
  assert.ok(!names.includes('Exp'), `an Exp kernel ran: ${names.join(', ')}`);
  tf.dispose([z, t]);
});

test('tokenNll refuses targets whose shape is not the logits leading shape', () => {
  assert.throws(() => tokenNll(tf.zeros([2, 3, 5]), tf.zeros([3, 2], 'int32')), /targets \[3,2\] must have .* \[2,3\]/);
});
