// Which parameters train: model.freezeEmbeddings keeps the vocabulary-sized matrices fixed,
// model.trainLayers only the top N layers train; the final norm always trains.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { RunConfig } from '../../../protocol/runConfig';
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
