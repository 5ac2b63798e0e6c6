// The model config: one schema, Hugging Face's names, and what a checkpoint says with it.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InputError, parseWith } from '../../../protocol/errors';
import { RunConfig } from '../../../protocol/runConfig';
import { loadCheckpoint, writeCheckpoint } from '../../../trainer/model/checkpoint';
import { countParams, initParams } from '../../../trainer/model/model';
import { headDim, ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { AdamW } from '../../../trainer/train/optimizer';
import { tempDir } from '../../helpers/helpers';

test('presets are valid configs with the documented sizes', () => {
  const tiny = parseWith(ModelConfig, presetConfig('tiny', 256), 'tiny');
  assert.deepEqual(
    [tiny.hiddenSize, tiny.numHiddenLayers, headDim(tiny), tiny.maxPositionEmbeddings],
    [128, 4, 32, 256],
  );
  // README: "tiny (d 128, 4 layers, 0.84 M params)".
  assert.equal((countParams(tiny) / 1e6).toFixed(2), '0.84');
  const small = parseWith(ModelConfig, presetConfig('small', 512), 'small');
  assert.deepEqual([small.hiddenSize, small.numHiddenLayers, headDim(small)], [256, 6, 32]);
});

test('a config whose heads do not split hiddenSize evenly is refused', () => {
  assert.throws(
    () => parseWith(ModelConfig, { ...presetConfig('tiny', 64), numAttentionHeads: 3 }, 'x.json'),
    /divisible by numAttentionHeads/,
  );
  assert.throws(
    () => parseWith(ModelConfig, { ...presetConfig('tiny', 64), hiddenSize: 12, numAttentionHeads: 4 }, 'x.json'),
    /even head width/,
  );
});

test('a checkpoint writes config.json in Hugging Face names and reads its own trainer_state back', async () => {
  await tf.setBackend('cpu');
  const dir = tempDir();
  const c: ModelConfig = {
    ...presetConfig('tiny', 64),
    hiddenSize: 16,
    intermediateSize: 24,
    numHiddenLayers: 1,
    numAttentionHeads: 2,
  };
  const config = parseWith(RunConfig, { name: 'x', data: { train: 'train.parallel.jsonl' } }, 'x.solar.json');
  const params = initParams(c, 0);
  const ck = writeCheckpoint(dir, 3, params, new AdamW(config.optimizer, params), c, config);
  const hf = JSON.parse(fs.readFileSync(path.join(ck, 'config.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(
    [
      hf.hidden_size,
      hf.intermediate_size,
      hf.num_hidden_layers,
      hf.num_attention_heads,
      hf.num_key_value_heads,
      hf.vocab_size,
      hf.max_position_embeddings,
      hf.rms_norm_eps,
      hf.rope_theta,
    ],
    [16, 24, 1, 2, 2, c.vocabSize, 64, c.rmsNormEps, c.ropeTheta],
  );
  assert.deepEqual(loadCheckpoint(ck).state.modelConfig, c);
  tf.dispose([...params.values()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a checkpoint from before the Hugging Face names is refused with a message that says so', () => {
  const dir = tempDir();
  const old = {
    vocabSize: 260,
    dim: 128,
    nLayers: 4,
    nHeads: 4,
    hiddenDim: 352,
    maxSeqLen: 256,
    ropeTheta: 10000,
    normEps: 1e-5,
  };
  fs.writeFileSync(
    path.join(dir, 'trainer_state.json'),
    JSON.stringify({ step: 1, modelConfig: old, config: {}, savedAt: '' }),
  );
  assert.throws(
    () => loadCheckpoint(dir),
    (e: unknown) =>
      e instanceof InputError &&
      e.location.field === 'modelConfig' &&
      /"dim", "hiddenDim", "nLayers", "nHeads", "maxSeqLen", "normEps" are the names of an older SOLAR Studio/.test(
        e.message,
      ),
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a model config that is not an object is an input error, not a crash', () => {
  for (const raw of [undefined, null, 'tiny', 3])
    assert.throws(
      () => parseWith(ModelConfig, raw, 'x.json'),
      (e: unknown) => e instanceof InputError && /expected object/.test(e.message),
    );
});
