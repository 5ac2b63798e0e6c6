// The config New Run Config… writes: valid, data paths relative to the config's folder
// with `/`, and never a `$schema` key (jsonValidation validates it wherever it is copied).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { draftRunConfig } from '../../extension/runConfigDraft';
import { RunConfig } from '../../protocol/runConfig';

const ws = path.join(path.sep, 'ws');

test('a drafted config validates, with relative data paths and no $schema', () => {
  const config = draftRunConfig({
    name: 'train-tiny-l0.5',
    model: { preset: 'tiny' },
    lambda: 0.5,
    train: path.join(ws, 'data', 'train.parallel.jsonl'),
    evalSet: path.join(ws, 'data', 'eval', 'eval.parallel.jsonl'),
    dir: ws,
    backend: 'auto',
  });
  assert.ok(!('$schema' in config));
  assert.deepEqual(config.data, { train: 'data/train.parallel.jsonl', eval: 'data/eval/eval.parallel.jsonl' });
  assert.equal(config.evalEvery, 50);
  const parsed = RunConfig.parse(JSON.parse(JSON.stringify(config)));
  assert.equal(parsed.objective.lambda, 0.5);
  assert.equal(parsed.$schema, undefined);
});

test('without an eval set: no eval path and no periodic evaluation; data above the folder stays relative', () => {
  const config = draftRunConfig({
    name: 'sft',
    model: { preset: 'small' },
    lambda: 0,
    train: path.join(ws, 'shared', 'train.parallel.jsonl'),
    dir: path.join(ws, 'configs'),
    backend: 'wasm',
  });
  assert.deepEqual(config.data, { train: '../shared/train.parallel.jsonl' });
  assert.equal(config.evalEvery, 0);
  assert.ok(!('$schema' in config));
  assert.equal(RunConfig.parse(config).model.preset, 'small');
});

test('a model folder is written as model.path, relative to the config like the data', () => {
  const config = draftRunConfig({
    name: 'qwen',
    model: { folder: path.join(ws, 'models', 'Qwen2.5-0.5B') },
    lambda: 0.5,
    train: path.join(ws, 'configs', 'train.parallel.jsonl'),
    dir: path.join(ws, 'configs'),
    backend: 'auto',
  });
  assert.deepEqual(config.model, { path: '../models/Qwen2.5-0.5B' });
  const parsed = RunConfig.parse(config);
  assert.equal(parsed.model.path, '../models/Qwen2.5-0.5B');
  assert.equal(parsed.model.preset, undefined);
});
