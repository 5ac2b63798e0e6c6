// Checkpoint weights past the shard size are written as transformers saves them (shards +
// index, float32) and read back bit for bit by the same loader as a single file.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { parseWith } from '../../../protocol/errors';
import { RunConfig } from '../../../protocol/runConfig';
import { loadCheckpoint, writeCheckpoint } from '../../../trainer/model/checkpoint';
import { INDEX_FILE, SINGLE_FILE } from '../../../trainer/model/hfWeights';
import { initParams, paramShapes } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { AdamW } from '../../../trainer/train/optimizer';
import { tempDir } from '../../helpers/helpers';

const c: ModelConfig = {
  ...presetConfig('tiny', 64),
  hiddenSize: 16,
  intermediateSize: 24,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
};
const config = parseWith(RunConfig, { name: 'x', data: { train: 'train.parallel.jsonl' } }, 'x.solar.json');

function save(maxShardBytes?: number): { ck: string; params: Map<string, tf.Variable> } {
  const params = initParams(c, 7);
  const ck = writeCheckpoint(
    tempDir(),
    5,
    params,
    new AdamW(config.optimizer, params),
    c,
    config,
    undefined,
    maxShardBytes,
  );
  return { ck, params };
}

test('weights past the shard size become shards and an index, read back bit for bit', async () => {
  await tf.setBackend('cpu');
  // The embedding alone is 256 x 16 x 4 = 16 KiB: 20 kB shards hold it and little else.
  const { ck, params } = save(20_000);
  const files = fs
    .readdirSync(ck)
    .filter((f) => f.endsWith('.safetensors'))
    .sort();
  const shards = files.filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f));
  assert.ok(shards.length > 1, `shards: ${files.join(', ')}`);
  assert.ok(!files.includes(SINGLE_FILE), 'no model.safetensors beside the shards');
  const index = JSON.parse(fs.readFileSync(path.join(ck, INDEX_FILE), 'utf8')) as {
    metadata: { total_size: number };
    weight_map: Record<string, string>;
  };
  const names = paramShapes(c).map(([n]) => n);
  assert.deepEqual(Object.keys(index.weight_map).sort(), [...names].sort(), 'every tensor in the index');
  assert.deepEqual([...new Set(Object.values(index.weight_map))].sort(), shards);
  const elements = paramShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  assert.equal(index.metadata.total_size, elements * 4, 'float32 bytes');

  const loaded = loadCheckpoint(ck);
  for (const [name, v] of params)
    assert.deepEqual(loaded.model.get(name)?.data, v.dataSync(), `${name} read back bit for bit`);
  tf.dispose([...params.values()]);
});

test('a small model stays one model.safetensors', async () => {
  await tf.setBackend('cpu');
  const { ck, params } = save();
  assert.ok(fs.existsSync(path.join(ck, SINGLE_FILE)));
  assert.ok(!fs.existsSync(path.join(ck, INDEX_FILE)));
  assert.equal(loadCheckpoint(ck).model.size, params.size);
  tf.dispose([...params.values()]);
});
