// LoRA adapters (trainer/model/lora.ts) in the forward pass: with B = 0 the adapted model
// is the base model bit for bit; with random A and B it is the model whose weights are
// W + alpha/r * B A; gradients reach only the adapters; PEFT's names, shapes and init.
// Checked on a small Llama (the tiny preset's layout) and on a Qwen2-style model with q/k/v
// biases, grouped-query attention and an untied output layer.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InputError, parseWith } from '../../../protocol/errors';
import { RunConfig } from '../../../protocol/runConfig';
import {
  adapterParams,
  adapterShapes,
  checkLora,
  initAdapters,
  mergeAdapters,
  withLora,
} from '../../../trainer/model/lora';
import {
  forward,
  initParams,
  type Params,
  paramGrads,
  paramShapes,
  paramsFromArrays,
} from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import type { NamedArray } from '../../../trainer/model/safetensors';
import { mulberry32, normalArray } from '../../../trainer/numeric/rng';
import { trainableNames } from '../../../trainer/train/freeze';
import { AdamW } from '../../../trainer/train/optimizer';

before(async () => {
  await tf.setBackend('cpu');
});

const llama: ModelConfig = {
  ...presetConfig('tiny', 64),
  hiddenSize: 16,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 24,
};
const qwen2: ModelConfig = {
  ...llama,
  modelType: 'qwen2',
  numAttentionHeads: 4,
  numKeyValueHeads: 2,
  tieWordEmbeddings: false,
};
const lora = {
  rank: 4,
  alpha: 8,
  targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
} as const;
const ids = () => tf.tensor2d([[257, 72, 105, 258, 50, 43, 10, 259]], [1, 8], 'int32');

/** Base weights from the seed, biases made non-zero (initParams leaves them 0) so they count. */
function baseArrays(c: ModelConfig, seed: number): Map<string, NamedArray> {
  const params = initParams(c, seed);
  const rand = mulberry32(seed + 1);
  const out = new Map<string, NamedArray>();
  for (const [name, v] of params) {
    const data = name.endsWith('.bias') ? normalArray(rand, v.size, 0.1) : (v.dataSync() as Float32Array);
    out.set(name, { shape: v.shape, data });
  }
  tf.dispose([...params.values()]);
  return out;
}

/** Every adapter drawn from N(0, 0.1), B included (as after some training). */
function randomAdapters(c: ModelConfig, seed: number): Map<string, NamedArray> {
  const rand = mulberry32(seed);
  return new Map(
    adapterShapes(c).map(([name, shape]) => [name, { shape, data: normalArray(rand, shape[0] * shape[1], 0.1) }]),
  );
}

function logits(params: Params, c: ModelConfig): Float32Array {
  const x = ids();
  const out = tf.tidy(() => forward(params, c, x).logits.dataSync() as Float32Array);
  x.dispose();
  return out;
}

function withAdapters(c: ModelConfig, base: Map<string, NamedArray>, adapters: Map<string, NamedArray>): Params {
  const params = paramsFromArrays(c, base);
  for (const [name, v] of adapterParams(c, adapters)) params.set(name, v);
  return params;
}

for (const [label, base] of [
  ['llama', llama],
  ['qwen2 (biases, GQA, untied)', qwen2],
] as const) {
  const c = withLora(base, { lora: { ...lora, targets: [...lora.targets] } });

  test(`${label}: with B = 0 (the init) the adapted forward is the base forward, bit for bit`, () => {
    const arrays = baseArrays(c, 3);
    const plain = paramsFromArrays(c, arrays);
    const adapted = withAdapters(c, arrays, initAdapters(c, 3));
    assert.equal(adapted.size, plain.size + 2 * 7 * c.numHiddenLayers);
    assert.deepEqual(logits(adapted, c), logits(plain, c));
    tf.dispose([...plain.values(), ...adapted.values()]);
  });

  test(`${label}: with random A and B the adapted forward is the forward of W + alpha/r * B A`, () => {
    const arrays = baseArrays(c, 4);
    const adapters = randomAdapters(c, 5);
    const adapted = withAdapters(c, arrays, adapters);
    const merged = paramsFromArrays(c, mergeAdapters(c, arrays, adapters));
    const plain = paramsFromArrays(c, arrays);
    const a = logits(adapted, c);
    const m = logits(merged, c);
    const p = logits(plain, c);
    let worst = 0;
    let moved = 0;
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - m[i]));
      moved = Math.max(moved, Math.abs(a[i] - p[i]));
    }
    assert.ok(worst < 1e-5, `adapted vs merged differ by ${worst}`);
    assert.ok(moved > 1e-2, `the adapters change the logits (by ${moved})`);
    tf.dispose([...adapted.values(), ...merged.values(), ...plain.values()]);
  });

  test(`${label}: gradients reach only the adapters, and a step leaves every base weight as it was`, () => {
    const arrays = baseArrays(c, 6);
    const params = withAdapters(c, arrays, randomAdapters(c, 7));
    const trainable = new Set(trainableNames(c, {}));
    assert.deepEqual(
      [...trainable],
      adapterShapes(c).map(([n]) => n),
    );
    const trained: Params = new Map([...params].filter(([name]) => trainable.has(name)));
    const x = ids();
    const { value, grads } = paramGrads(trained, () => tf.mean(tf.square(forward(params, c, x).logits)) as tf.Scalar);
    assert.deepEqual([...grads.keys()], [...trainable]);
    for (const [name, g] of grads) assert.ok(tf.max(tf.abs(g)).dataSync()[0] > 0, `${name} gets a gradient`);
    const opt = new AdamW(RunConfig.parse({ data: { train: 'x' } }).optimizer, trained);
    opt.apply(trained, grads, 1, 0.01);
    for (const [name] of paramShapes(c)) assert.deepEqual(params.get(name)!.dataSync(), arrays.get(name)!.data, name);
    tf.dispose([x, value, ...grads.values(), ...params.values()]);
    opt.dispose();
  });
}

test("adapters: PEFT's names and shapes, A [r, in] and B [out, r], on the layers asked for", () => {
  const c = withLora(qwen2, {
    lora: { rank: 4, alpha: 8, targets: ['down_proj', 'q_proj', 'k_proj'] },
    trainLayers: 1,
  });
  assert.deepEqual(c.lora, { rank: 4, alpha: 8, targets: ['q_proj', 'k_proj', 'down_proj'], layers: [1] });
  // q: H * hd = 4 * 4 = 16 wide; k: KV * hd = 8; down: F = 24 in, d = 16 out.
  assert.deepEqual(adapterShapes(c), [
    ['model.layers.1.self_attn.q_proj.lora_A.weight', [4, 16]],
    ['model.layers.1.self_attn.q_proj.lora_B.weight', [16, 4]],
    ['model.layers.1.self_attn.k_proj.lora_A.weight', [4, 16]],
    ['model.layers.1.self_attn.k_proj.lora_B.weight', [8, 4]],
    ['model.layers.1.mlp.down_proj.lora_A.weight', [4, 24]],
    ['model.layers.1.mlp.down_proj.lora_B.weight', [16, 4]],
  ]);
  assert.deepEqual(withLora(c, {}), qwen2, 'no lora in the run config: none recorded');
});

test('init: A uniform within 1/sqrt(in) (kaiming, a = sqrt 5), B zeros, the same for the same seed', () => {
  const c = withLora(llama, { lora: { rank: 8, alpha: 16, targets: ['up_proj', 'down_proj'] } });
  const a = initAdapters(c, 11);
  for (const [name, { shape, data }] of a) {
    if (name.endsWith('lora_B.weight'))
      assert.ok(
        data.every((v) => v === 0),
        name,
      );
    else {
      const bound = 1 / Math.sqrt(shape[1]);
      assert.ok(
        data.every((v) => Math.abs(v) <= bound),
        name,
      );
      assert.ok(Math.max(...data.map(Math.abs)) > 0.8 * bound, `${name} fills its range`);
    }
  }
  assert.deepEqual(initAdapters(c, 11), a);
  assert.notDeepEqual(
    initAdapters(c, 12).get('model.layers.0.mlp.up_proj.lora_A.weight'),
    a.get('model.layers.0.mlp.up_proj.lora_A.weight'),
  );
});

test("a rank above a projection's input width is refused naming model.lora.rank", () => {
  const c = withLora(llama, { lora: { rank: 17, alpha: 16, targets: ['q_proj'] } });
  assert.throws(
    () => checkLora(c, 'x.solar.json'),
    (e: unknown) =>
      e instanceof InputError &&
      e.location.field === 'model.lora.rank' &&
      /q_proj's input width 16 \(got 17\)/.test(e.message),
  );
  // down_proj reads F = 24: rank 17 fits there.
  checkLora(withLora(llama, { lora: { rank: 17, alpha: 16, targets: ['down_proj'] } }), 'x.solar.json');
});

test('the run config: defaults rank 8, alpha 16, all seven targets; an unknown target names its field', () => {
  const config = RunConfig.parse({ model: { lora: {} }, data: { train: 'x' } });
  assert.deepEqual(config.model.lora, { rank: 8, alpha: 16, targets: [...lora.targets] });
  for (const [bad, field] of [
    [{ targets: ['q_proj', 'lm_head'] }, 'model.lora.targets.1'],
    [{ targets: [] }, 'model.lora.targets'],
    [{ rank: 0 }, 'model.lora.rank'],
    [{ rank: 257 }, 'model.lora.rank'],
    [{ alpha: 0 }, 'model.lora.alpha'],
    [{ dropout: 0.1 }, 'model.lora'],
  ] as const)
    assert.throws(
      () => parseWith(RunConfig, { model: { lora: bad }, data: { train: 'x' } }, 'x.solar.json'),
      (e: unknown) => e instanceof InputError && e.location.field === field && e.location.file === 'x.solar.json',
      JSON.stringify(bad),
    );
});
