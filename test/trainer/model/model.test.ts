// The model's building blocks that the teacher-forced parity test (parity.test.ts) does not
// reach: the padded attention mask and per-row RoPE positions of batched decoding, and the
// key/value cache, checked by hand and against the plain forward pass.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  attentionMask,
  countParams,
  forward,
  getParam,
  initParams,
  type KVCache,
  newKVCache,
  ropeTables,
  transformer,
} from '../../../trainer/model/model';
import { headDim, type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';

before(async () => {
  await tf.setBackend('cpu');
});

const c: ModelConfig = {
  ...presetConfig('tiny', 64),
  hiddenSize: 16,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 24,
};

test("attention mask: a query sees the keys from its row's first real token up to itself", () => {
  // Three rows, left-padded by 2, 0 and 1; S = 2 new queries at absolute slots 2 and 3 of L = 4.
  const mask = attentionMask([2, 0, 1], 2, 4);
  const m = mask.arraySync(); // [B, 1, S, L]: 0 where visible, -1e9 where not
  const seen = (b: number) => m[b][0].map((q) => q.map((v) => (v === 0 ? 1 : v === -1e9 ? 0 : NaN)));
  assert.deepEqual(seen(0), [
    [0, 0, 1, 0],
    [0, 0, 1, 1],
  ]);
  assert.deepEqual(seen(1), [
    [1, 1, 1, 0],
    [1, 1, 1, 1],
  ]);
  assert.deepEqual(seen(2), [
    [0, 1, 1, 0],
    [0, 1, 1, 1],
  ]);
  mask.dispose();
});

test('a missing parameter is an error naming it', () => {
  assert.throws(() => getParam(new Map(), 'model.norm.weight'), /model\.norm\.weight is missing/);
});

test('RoPE tables: angle position * theta^(-2i/hd), the hd/2 frequencies repeated in both halves, per row', () => {
  const hd = 4;
  const theta = 100;
  const positions = [
    [0, 3],
    [5, 1],
  ];
  const { cos, sin } = ropeTables(positions, hd, theta);
  assert.deepEqual(cos.shape, [2, 1, 2, hd]);
  const C = cos.arraySync();
  const Sn = sin.arraySync();
  positions.forEach((row, b) =>
    row.forEach((p, s) => {
      for (let i = 0; i < hd; i++) {
        const angle = p * theta ** ((-2 * (i % (hd / 2))) / hd);
        assert.ok(Math.abs(C[b][0][s][i] - Math.cos(angle)) < 1e-6, `cos[${b}][${s}][${i}]`);
        assert.ok(Math.abs(Sn[b][0][s][i] - Math.sin(angle)) < 1e-6, `sin[${b}][${s}][${i}]`);
      }
    }),
  );
  tf.dispose([cos, sin]);
});

test('cached decoding of left-padded rows gives the logits of running each row alone', () => {
  const params = initParams(c, 5);
  const prompts = [
    [257, 72, 105, 33, 258],
    [257, 79, 107, 258],
  ]; // <bos> ... <sep>, lengths 5 and 4
  const steps = [
    [65, 66],
    [67, 68],
  ]; // two more tokens per row, fed one at a time
  const P = 5;
  const pad = prompts.map((p) => P - p.length);
  const cache: KVCache = newKVCache(P + 2);
  const run = (ids: number[][], positions: number[][], L: number) =>
    tf.tidy(() => {
      const { cos, sin } = ropeTables(positions, headDim(c), c.ropeTheta);
      const S = ids[0].length;
      const out = transformer(params, c, {
        ids: tf.tensor2d(ids, [ids.length, S], 'int32'),
        cos,
        sin,
        mask: attentionMask(pad, S, L, cache.capacity),
        cache,
      });
      assert.equal(cache.length, L);
      return tf.squeeze(tf.slice(out.logits, [0, S - 1, 0], [-1, 1, -1]), [1]).arraySync() as number[][]; // [B, V] last position
    });
  const got = [
    run(
      prompts.map((p, b) => [...new Array(pad[b]).fill(256), ...p]),
      prompts.map((_, b) => Array.from({ length: P }, (_, t) => Math.max(0, t - pad[b]))),
      P,
    ),
  ];
  for (let s = 0; s < 2; s++)
    got.push(
      run(
        steps.map((st) => [st[s]]),
        prompts.map((p) => [p.length + s]),
        P + s + 1,
      ),
    );
  prompts.forEach((p, b) => {
    for (let s = 0; s <= 2; s++) {
      const seq = [...p, ...steps[b].slice(0, s)];
      const want = tf.tidy(
        () =>
          (
            tf
              .slice(
                forward(params, c, tf.tensor2d([seq], [1, seq.length], 'int32')).logits,
                [0, seq.length - 1, 0],
                [1, 1, -1],
              )
              .arraySync() as number[][][]
          )[0][0],
      );
      const err = Math.max(...want.map((w, j) => Math.abs(w - got[s][b][j])));
      assert.ok(err < 1e-5, `row ${b} step ${s}: max |logit difference| ${err}`);
    }
  });
  tf.dispose([...cache.k, ...cache.v, ...params.values()]);
});

test('init: norms at 1, residual output projections N(0, 0.02 / sqrt(2 layers)), other matrices N(0, 0.02)', () => {
  const big: ModelConfig = { ...c, hiddenSize: 64, intermediateSize: 128, numHiddenLayers: 8 };
  const params = initParams(big, 1);
  const std = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
  for (const [name, v] of params) {
    const x = v.dataSync() as Float32Array;
    if (v.rank === 1)
      assert.ok(
        x.every((e) => e === 1),
        name,
      );
    else {
      const want = /(o_proj|down_proj)\.weight$/.test(name) ? 0.02 / Math.sqrt(2 * big.numHiddenLayers) : 0.02;
      // >= 4096 samples: the sample std is within 5% of the true one.
      assert.ok(Math.abs(std(x) / want - 1) < 0.05, `${name}: std ${std(x)} vs ${want}`);
    }
  }
  const other = initParams(big, 2);
  assert.notDeepEqual(
    other.get('model.embed_tokens.weight')!.dataSync(),
    params.get('model.embed_tokens.weight')!.dataSync(),
    'the seed matters',
  );
  tf.dispose([...params.values(), ...other.values()]);
});

// Llama's attention_bias: q, k, v and o projections all get biases, initialised to 0, and
// the o_proj bias is added to the attention output (a different bias gives other logits).
test('attention_bias: biases on q, k, v and o in every layer, zero at init, and the o bias is used', () => {
  const llama: ModelConfig = { ...c, modelType: 'llama', attentionBias: true };
  const params = initParams(llama, 3);
  for (let i = 0; i < llama.numHiddenLayers; i++) {
    for (const proj of ['q', 'k', 'v', 'o']) {
      const b = params.get(`model.layers.${i}.self_attn.${proj}_proj.bias`);
      assert.ok(b, `layer ${i} ${proj}_proj.bias`);
      assert.ok(
        (b.dataSync() as Float32Array).every((x) => x === 0),
        `${proj}_proj.bias starts at 0`,
      );
    }
  }
  assert.equal(initParams(c, 3).has('model.layers.0.self_attn.o_proj.bias'), false, 'no biases without attention_bias');
  const ids = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
  const before = forward(params, llama, ids).logits.dataSync();
  params.get('model.layers.1.self_attn.o_proj.bias')!.assign(tf.fill([llama.hiddenSize], 0.5));
  const after = forward(params, llama, ids).logits.dataSync();
  assert.ok(
    before.some((x, i) => Math.abs(x - after[i]) > 1e-3),
    'changing the o_proj bias changes the logits',
  );
  tf.dispose([ids, ...params.values()]);
});

test('countParams: every parameter, or only the named ones', () => {
  const params = initParams(c, 0);
  const total = [...params.values()].reduce((n, p) => n + p.size, 0);
  assert.equal(countParams(c), total);
  const only = new Set(['model.norm.weight', 'model.embed_tokens.weight']);
  assert.equal(countParams(c, only), c.hiddenSize + c.vocabSize * c.hiddenSize);
  assert.equal(countParams(c, new Set()), 0);
  tf.dispose([...params.values()]);
});

test('lastLogitsOnly: the logits of each row last position, the same as the full [B, S, V]', () => {
  const params = initParams(c, 5);
  const T = 5;
  const ids = tf.tensor2d(
    [
      [1, 2, 3, 4, 5],
      [9, 8, 7, 6, 5],
    ],
    [2, T],
    'int32',
  );
  const { cos, sin } = ropeTables([[0, 1, 2, 3, 4]], headDim(c), c.ropeTheta);
  const inputs = { ids, cos, sin, mask: attentionMask([0, 0], T, T) };
  const full = transformer(params, c, inputs).logits; // [2, 5, V]
  const last = transformer(params, c, { ...inputs, lastLogitsOnly: true }).logits;
  assert.deepEqual(last.shape, [2, 1, c.vocabSize]);
  const want = tf.slice(full, [0, T - 1, 0], [2, 1, -1]).dataSync();
  const got = last.dataSync();
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-5, `logit ${i}`);
  tf.dispose([ids, cos, sin, full, last, ...params.values()]);
});
