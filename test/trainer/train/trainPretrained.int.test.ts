// `solar train` (the built CLI) from a pretrained Hugging Face folder: the tiny Qwen2 of
// test/fixtures/hf/ with Qwen3's real tokenizer trains two SOLAR steps, and its checkpoint
// is a Hugging Face folder again (config.json with the token ids, model.safetensors,
// generation_config.json, the tokenizer files as they came) that loads back, through
// `solar eval` and as a new run's model.path.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InputError } from '../../../protocol/errors';
import { latestCheckpoint } from '../../../protocol/runFolder';
import { readHfFolder } from '../../../trainer/model/hfModel';
import { HfTokenizer } from '../../../trainer/model/hfTokenizer';
import { loadModel } from '../../../trainer/model/loadModel';
import { readSafetensors } from '../../../trainer/model/safetensors';
import { train } from '../../../trainer/train/train';
import { CLI, readEvents, smallConfig, tempDir, trainLosses, writeConfig } from '../../helpers/helpers';
import { buildTinyHf, copyTokenizer } from '../../helpers/hfFixture';

const solar = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });

let dir = '';
let runDir = '';
let checkpoint = '';

/** Two steps, one item (en + sw rows) per step, a tiny evaluation: the fixture's 151936-token vocabulary is the cost. */
function config(model: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const base = smallConfig();
  return smallConfig({
    model,
    languages: ['en', 'sw'],
    steps: 2,
    batchSize: 1,
    data: { ...(base.data as object), evalSize: 1 },
    evaluation: { maxNewTokens: 4 },
    ...overrides,
  });
}

before(async () => {
  await tf.setBackend('cpu');
  dir = tempDir();
  buildTinyHf('qwen2', path.join(dir, 'qwen2'));
  // model.path relative to the config file, as a user writes it.
  const cfg = writeConfig(dir, config({ path: 'qwen2', maxSeqLen: 96 }));
  const r = solar(['train', cfg, '--run-dir', path.join(dir, 'run'), '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  runDir = path.join(dir, 'run');
  checkpoint = latestCheckpoint(runDir)!;
});

test('two SOLAR steps from the folder: finite losses, the pivot trained, evaluated before and after', () => {
  const losses = trainLosses(runDir);
  assert.deepEqual([...losses.keys()], [1, 2]);
  for (const l of losses.values()) assert.ok(Number.isFinite(l) && l > 0);
  const train = readEvents(runDir).filter((e) => e.kind === 'train');
  assert.ok(train.every((e) => e.kind === 'train' && Number.isFinite(e.ce.en)));
  const evals = readEvents(runDir).filter((e) => e.kind === 'eval');
  assert.deepEqual(
    evals.map((e) => e.step),
    [0, 2],
  );
  const log = fs.readFileSync(path.join(runDir, 'trainer.log'), 'utf8');
  assert.match(log, /Hugging Face tokenizer \(151669 tokens\)/);
});

test('the checkpoint is a Hugging Face folder: config.json with the token ids, generation_config.json, the tokenizer files', () => {
  assert.ok(checkpoint.endsWith('step-000002'));
  const hf = JSON.parse(fs.readFileSync(path.join(checkpoint, 'config.json'), 'utf8'));
  assert.deepEqual(hf.architectures, ['Qwen2ForCausalLM']);
  assert.deepEqual(
    [hf.bos_token_id, hf.eos_token_id, hf.pad_token_id, hf.num_key_value_heads, hf.tie_word_embeddings],
    [null, 151645, 151643, 2, true],
  );
  const gen = JSON.parse(fs.readFileSync(path.join(checkpoint, 'generation_config.json'), 'utf8'));
  assert.equal(gen.eos_token_id, 151645);
  for (const f of ['tokenizer.json', 'tokenizer_config.json'])
    assert.ok(fs.readFileSync(path.join(checkpoint, f)).equals(fs.readFileSync(path.join(dir, 'qwen2', f))), f);
});

test('the checkpoint reloads: as a model folder and as a run checkpoint, the same trained weights and tokenizer', () => {
  const asFolder = readHfFolder(checkpoint);
  const original = readHfFolder(path.join(dir, 'qwen2'));
  assert.deepEqual(asFolder.modelConfig, original.modelConfig);
  assert.deepEqual([...asFolder.tokenizer.stopIds], [...original.tokenizer.stopIds]);
  const name = 'model.layers.0.self_attn.q_proj.bias';
  assert.notDeepEqual(asFolder.arrays.get(name)!.data, original.arrays.get(name)!.data, 'trained, not the original');
  const loaded = loadModel(runDir);
  assert.ok(loaded.tokenizer instanceof HfTokenizer);
  assert.deepEqual(loaded.params.get(name)!.dataSync(), asFolder.arrays.get(name)!.data);
  tf.dispose([...loaded.params.values()]);
});

test('solar eval reads the checkpoint with its own tokenizer', () => {
  const r = solar(['eval', runDir, '--backend', 'wasm', '--size', '1', '--languages', 'en,sw', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.deepEqual(Object.keys(report.accuracy).sort(), ['en', 'sw']);
  for (const l of ['en', 'sw']) assert.equal(typeof report.outputs[l][0].text, 'string');
});

test('a new run starts from the checkpoint folder, with the embeddings and the lower layer frozen', () => {
  const model = { path: checkpoint, maxSeqLen: 96, freezeEmbeddings: true, trainLayers: 1 };
  const noEval = { ...(smallConfig().data as object), eval: undefined };
  const cfg = writeConfig(dir, config(model, { steps: 1, data: noEval }), 'again.solar.json');
  const again = solar(['train', cfg, '--run-dir', path.join(dir, 'again'), '--quiet']);
  assert.equal(again.status, 0, again.stderr);
  const next = latestCheckpoint(path.join(dir, 'again'))!;
  assert.ok(next.endsWith('step-000001'));
  const before = readHfFolder(checkpoint).arrays;
  const after = readHfFolder(next).arrays;
  for (const name of ['model.embed_tokens.weight', 'model.layers.0.mlp.up_proj.weight'])
    assert.deepEqual(after.get(name)!.data, before.get(name)!.data, `${name} is frozen`);
  for (const name of ['model.layers.1.mlp.up_proj.weight', 'model.norm.weight'])
    assert.notDeepEqual(after.get(name)!.data, before.get(name)!.data, `${name} trains`);
  // No moments for what does not train: the optimizer file holds the top layer and the norm only.
  const moments = [...readSafetensors(path.join(next, 'optimizer.safetensors')).tensors.keys()];
  assert.ok(moments.includes('model.layers.1.mlp.up_proj.weight.exp_avg'));
  assert.ok(!moments.some((n) => n.startsWith('model.embed_tokens') || n.startsWith('model.layers.0.')));
});

test('--resume continues the first run from its checkpoint, with the tokenizer saved there', () => {
  const resumed = solar(['train', '--resume', runDir, '--steps', '3', '--quiet']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.deepEqual([...trainLosses(runDir).keys()], [1, 2, 3]);
});

test("a batch too large for the model is refused with the estimate, before the folder's weights are read", async () => {
  // config.json and the tokenizer only: reading weights would fail differently.
  const folder = copyTokenizer('qwen3', path.join(dir, 'configOnly'));
  fs.copyFileSync(path.join(dir, 'qwen2', 'config.json'), path.join(folder, 'config.json'));
  const cfg = writeConfig(dir, config({ path: 'configOnly', maxSeqLen: 512 }, { batchSize: 64 }), 'big.solar.json');
  await assert.rejects(
    train({ configFile: cfg, runDir: path.join(dir, 'big'), quiet: true }),
    (e: unknown) =>
      e instanceof InputError &&
      e.location.field === 'batchSize' &&
      /configOnly model, which needs about [\d.]+ GiB/.test(e.message),
  );
  assert.ok(!fs.existsSync(path.join(dir, 'big')), 'nothing written');
});
