// The maths of the SOLAR objective, pinned against hand computations on the real
// tfjs cpu backend (the wasm backend is compared with cpu in wasmKernels.test.ts).

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ObjectiveConfig } from '../../../protocol/runConfig';
import { forward, initParams, paramGrads } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { makeBatch } from '../../../trainer/train/batches';
import { alignDistances, computeLoss, softTokenProbs, softTokenSummaries } from '../../../trainer/train/objective';
import { sampleItems } from '../../helpers/fixtures';

before(async () => {
  await tf.setBackend('cpu');
});

const tinyConfig: ModelConfig = {
  ...presetConfig('tiny', 160),
  hiddenSize: 16,
  numHiddenLayers: 1,
  numAttentionHeads: 2,
  intermediateSize: 24,
};
const obj = (o: Partial<ObjectiveConfig> = {}): ObjectiveConfig => ({
  lambda: 0.5,
  tau: 1,
  topK: 0,
  pool: 'response',
  symmetric: false,
  ...o,
});

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

test('soft-token summary equals mean over pooled positions of softmax(z/tau) . E, by hand', () => {
  const R = 2,
    T = 3,
    V = 5,
    d = 4,
    tau = 0.7;
  const z = Array.from({ length: R * T * V }, (_, i) => Math.sin(i * 1.3) * 2);
  const E = Array.from({ length: V * d }, (_, i) => Math.cos(i * 0.7));
  const mask = [1, 0, 1, 0, 1, 1]; // [R, T]
  const got = tf.tidy(() =>
    softTokenSummaries(
      tf.tensor3d(z, [R, T, V]),
      tf.tensor2d(mask, [R, T]),
      tf.tensor2d(E, [V, d]),
      tau,
      0,
    ).arraySync(),
  );
  for (let r = 0; r < R; r++) {
    const want = new Array(d).fill(0);
    let n = 0;
    for (let t = 0; t < T; t++) {
      if (!mask[r * T + t]) continue;
      n++;
      const p = softmax(z.slice((r * T + t) * V, (r * T + t + 1) * V).map((x) => x / tau));
      for (let j = 0; j < V; j++) for (let k = 0; k < d; k++) want[k] += p[j] * E[j * d + k];
    }
    want.forEach((w, k) =>
      assert.ok(Math.abs(got[r][k] - w / n) < 1e-5, `row ${r} dim ${k}: ${got[r][k]} vs ${w / n}`),
    );
  }
});

test('top-k with k = |V| equals the full softmax; k = 2 keeps the two largest, renormalised', () => {
  const z = tf.tensor2d([[0.1, 2.0, -1.0, 1.5, 0.3]]);
  const full = tf.tidy(() => (softTokenProbs(z, 1, 0).arraySync() as number[][])[0]);
  const kV = tf.tidy(() => (softTokenProbs(z, 1, 5).arraySync() as number[][])[0]);
  assert.deepEqual(kV, full);
  const k2 = tf.tidy(() => (softTokenProbs(z, 1, 2).arraySync() as number[][])[0]);
  const want = softmax([2.0, 1.5]);
  assert.ok(Math.abs(k2[1] - want[0]) < 1e-6 && Math.abs(k2[3] - want[1]) < 1e-6);
  assert.ok(k2[0] < 1e-12 && k2[2] < 1e-12 && k2[4] < 1e-12);
  z.dispose();
});

test('alignment distance gradient matches finite differences; the pivot gets zero gradient unless symmetric', () => {
  const R = 3,
    d = 4;
  const S0 = Array.from({ length: R * d }, (_, i) => Math.sin(i + 1) + 0.2);
  const pivotRow = Int32Array.from([0, 0, 0]); // row 0 is the pivot of rows 1 and 2
  const mask = tf.tensor1d([0, 1, 1]);
  for (const symmetric of [false, true]) {
    const f = (s: tf.Tensor) => tf.sum(tf.mul(alignDistances(s as tf.Tensor2D, pivotRow, symmetric), mask));
    const g = tf.tidy(() =>
      tf
        .grad(f)(tf.tensor2d(S0, [R, d]))
        .arraySync(),
    ) as number[][];
    // Finite differences of the true function: the pivot moves too, so this is the symmetric gradient.
    const h = 1e-3;
    for (let i = 0; i < R * d; i++) {
      const plus = S0.slice();
      plus[i] += h;
      const minus = S0.slice();
      minus[i] -= h;
      const fd = tf.tidy(
        () => (f(tf.tensor2d(plus, [R, d])).dataSync()[0] - f(tf.tensor2d(minus, [R, d])).dataSync()[0]) / (2 * h),
      );
      const r = Math.floor(i / d);
      const analytic = g[r][i % d];
      if (r === 0 && !symmetric) assert.equal(analytic, 0, 'pivot row must get no gradient (stop-gradient)');
      else
        assert.ok(Math.abs(analytic - fd) < 2e-3, `symmetric=${symmetric} S[${r}][${i % d}]: ${analytic} vs fd ${fd}`);
    }
  }
  mask.dispose();
});

test('prompt and padding positions contribute nothing to the summary or the CE', () => {
  const params = initParams(tinyConfig, 1);
  const items = sampleItems().slice(0, 2);
  const b = makeBatch(items, { languages: ['en', 'sw'], pivot: 'en', maxSeqLen: 160, pool: 'response' });
  const [sum1, ce1] = tf.tidy(() => {
    const { logits } = forward(params, tinyConfig, tf.tensor2d(b.ids, [b.R, b.T], 'int32'));
    // Scramble logits wherever poolMask is 0 (prompt and padding): the summary must not change.
    const keep = tf.tensor3d(b.poolMask, [b.R, b.T, 1]);
    const noisy = tf.add(
      tf.mul(logits, keep),
      tf.mul(tf.sub(1, keep), tf.randomNormal(logits.shape, 0, 5, 'float32', 7)),
    );
    const E = params.get('model.embed_tokens.weight')! as tf.Tensor2D;
    const pm = tf.tensor2d(b.poolMask, [b.R, b.T]);
    const a = softTokenSummaries(logits, pm, E, 1, 0);
    const c = softTokenSummaries(noisy as tf.Tensor3D, pm, E, 1, 0);
    return [tf.max(tf.abs(tf.sub(a, c))).dataSync()[0], computeLoss(params, tinyConfig, b, obj()).rowCe.arraySync()];
  });
  assert.ok(sum1 < 1e-6, `summary changed by ${sum1}`);
  // The same rows with far more padding (a long extra item in the batch) give the same CE.
  const long = { id: 'long', answer: '1', langs: { en: { prompt: 'x'.repeat(90), response: 'y'.repeat(40) } } };
  const b2 = makeBatch([...items, long], { languages: ['en', 'sw'], pivot: 'en', maxSeqLen: 160, pool: 'response' });
  assert.ok(b2.T > b.T);
  const ce2 = tf.tidy(() => computeLoss(params, tinyConfig, b2, obj()).rowCe.arraySync());
  (ce1 as number[]).forEach((v, r) => assert.ok(Math.abs(v - ce2[r]) < 1e-4, `row ${r}: ${v} vs ${ce2[r]}`));
  tf.dispose([...params.values()]);
});

test('lambda = 0 gives exactly the SFT loss and gradients', () => {
  const params = initParams(tinyConfig, 2);
  const b = makeBatch(sampleItems(), { languages: ['en', 'sw', 'te'], pivot: 'en', maxSeqLen: 160, pool: 'response' });
  // Plain SFT written independently: token-mean CE over response targets.
  const sft = () => {
    const { logits } = forward(params, tinyConfig, tf.tensor2d(b.ids, [b.R, b.T], 'int32'));
    const logp = tf.logSoftmax(logits);
    const nll = tf.neg(
      tf.sum(tf.mul(logp, tf.oneHot(tf.tensor2d(b.targets, [b.R, b.T], 'int32'), tinyConfig.vocabSize)), -1),
    );
    const m = tf.tensor2d(b.lossMask, [b.R, b.T]);
    return tf.div(tf.sum(tf.mul(nll, m)), tf.sum(m)) as tf.Scalar;
  };
  const a = paramGrads(params, () => computeLoss(params, tinyConfig, b, obj({ lambda: 0 })).loss);
  const s = paramGrads(params, sft);
  assert.equal(a.value.dataSync()[0], s.value.dataSync()[0]);
  for (const [name, g] of s.grads) assert.deepEqual(a.grads.get(name)!.dataSync(), g.dataSync(), name);
  // And lambda > 0 really changes the gradient (the test above could not pass vacuously).
  const l = paramGrads(params, () => computeLoss(params, tinyConfig, b, obj({ lambda: 1 })).loss);
  const q = 'model.layers.0.self_attn.q_proj.weight';
  assert.notDeepEqual(l.grads.get(q)!.dataSync(), s.grads.get(q)!.dataSync());
  tf.dispose([
    a.value,
    s.value,
    l.value,
    ...a.grads.values(),
    ...s.grads.values(),
    ...l.grads.values(),
    ...params.values(),
  ]);
});

test('L_align gradient through the whole model agrees with finite differences', () => {
  const params = initParams(tinyConfig, 3);
  const b = makeBatch(sampleItems().slice(0, 2), {
    languages: ['en', 'sw'],
    pivot: 'en',
    maxSeqLen: 160,
    pool: 'response',
  });
  const name = 'model.layers.0.mlp.up_proj.weight';
  const align = () => computeLoss(params, tinyConfig, b, obj({ lambda: 1, tau: 0.5 })).align;
  const { grads, value } = paramGrads(params, align);
  const g = grads.get(name)!.dataSync();
  const v = params.get(name)!;
  const base = v.dataSync().slice();
  const h = 5e-3;
  let checked = 0;
  for (const i of [0, 7, 50, 101, 200, 333]) {
    const at = (delta: number) => {
      const w = base.slice();
      w[i] += delta;
      v.assign(tf.tensor(w, v.shape));
      return tf.tidy(() => align().dataSync()[0]);
    };
    const fd = (at(h) - at(-h)) / (2 * h);
    assert.ok(Math.abs(g[i] - fd) < 2e-3 + 0.05 * Math.abs(fd), `${name}[${i}]: ${g[i]} vs fd ${fd}`);
    checked++;
  }
  assert.equal(checked, 6);
  assert.ok(
    g.some((x) => Math.abs(x) > 1e-6),
    'alignment must reach the weights',
  );
  tf.dispose([value, ...grads.values(), ...params.values()]);
});
