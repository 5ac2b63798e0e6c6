// Which parameters train: model.freezeEmbeddings keeps the vocabulary-sized matrices fixed,
// model.trainLayers only the top N layers train; the final norm always trains; with
// model.lora only the adapters train.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { RunConfig } from '../../../protocol/runConfig';
import { withLora } from '../../../trainer/model/lora';
import { paramShapes } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { checkTrainLayers, trainableNames } from '../../../trainer/train/freeze';

const untied: ModelConfig = { ...presetConfig('tiny', 64), numHiddenLayers: 3, tieWordEmbeddings: false };
const layersOf = (names: string[]) => [...new Set(names.map((n) => /layers\.(\d+)\./.exec(n)?.[1]).filter(Boolean))];

test('by default every parameter trains', () => {
  assert.deepEqual(
    trainableNames(untied, {}),
    paramShapes(untied).map(([n]) => n),
  );
});

test('freezeEmbeddings leaves out the input embedding and the untied output layer, nothing else', () => {
  const names = trainableNames(untied, { freezeEmbeddings: true });
  assert.ok(!names.includes('model.embed_tokens.weight') && !names.includes('lm_head.weight'));
  assert.equal(names.length, paramShapes(untied).length - 2);
});

test('trainLayers N trains the top N layers and the final norm', () => {
  const names = trainableNames(untied, { trainLayers: 1, freezeEmbeddings: true });
  assert.deepEqual(layersOf(names), ['2']);
  assert.ok(names.includes('model.norm.weight'));
  assert.deepEqual(layersOf(trainableNames(untied, { trainLayers: 2 })), ['1', '2']);
  assert.deepEqual(layersOf(trainableNames(untied, { trainLayers: 0 })), []);
  assert.ok(trainableNames(untied, { trainLayers: 0 }).includes('model.embed_tokens.weight'));
});

test('trainLayers beyond the model is refused naming the field and the depth', () => {
  const config = RunConfig.parse({ model: { trainLayers: 4 }, data: { train: 'x' } });
  assert.throws(
    () => checkTrainLayers(untied, config, 'x.solar.json'),
    (e: unknown) =>
      e instanceof InputError && e.location.field === 'model.trainLayers' && /3 layers \(got 4\)/.test(e.message),
  );
  checkTrainLayers(untied, { ...config, model: { ...config.model, trainLayers: 3 } }, 'x.solar.json');
});

test('with lora only the adapters train, on every layer or on the top trainLayers', () => {
  const lora = { rank: 2, alpha: 4, targets: ['q_proj', 'down_proj'] as ('q_proj' | 'down_proj')[] };
  const all = trainableNames(withLora(untied, { lora }), { freezeEmbeddings: false });
  assert.deepEqual(all.slice(0, 4), [
    'model.layers.0.self_attn.q_proj.lora_A.weight',
    'model.layers.0.self_attn.q_proj.lora_B.weight',
    'model.layers.0.mlp.down_proj.lora_A.weight',
    'model.layers.0.mlp.down_proj.lora_B.weight',
  ]);
  assert.equal(all.length, 3 * 4, 'no base weight, not even the embeddings or the norm');
  const top = trainableNames(withLora(untied, { lora, trainLayers: 2 }), {});
  assert.deepEqual(layersOf(top), ['1', '2']);
  assert.ok(top.every((n) => /\.lora_[AB]\.weight$/.test(n)));
  const config = RunConfig.parse({ model: { lora, trainLayers: 0 }, data: { train: 'x' } });
  assert.throws(
    () => checkTrainLayers(withLora(untied, config.model), config, 'x.solar.json'),
    (e: unknown) => e instanceof InputError && /at least one parameter to train/.test(e.message),
  );
});
