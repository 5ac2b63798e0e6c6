// A LoRA run (model.lora) on the tiny preset, trained for real on the wasm backend: the
// adapters lower the eval loss while every base weight stays as initialised; the
// checkpoint keeps model.safetensors (the base) and adds adapter_model.safetensors +
// adapter_config.json in PEFT's layout; a resume continues exactly; evaluation's
// loadModel (adapters merged) gives the logits of the adapted forward; `solar export`
// writes the merged model plus the adapter files.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../../../protocol/errors';
import { latestCheckpoint } from '../../../protocol/runFolder';
import { loadCheckpoint } from '../../../trainer/model/checkpoint';
import { readHfFolder } from '../../../trainer/model/hfModel';
import { loadModel } from '../../../trainer/model/loadModel';
import { adapterParams, adapterShapes, mergeAdapters } from '../../../trainer/model/lora';
import { forward, initParams, paramsFromArrays } from '../../../trainer/model/model';
import { readSafetensors } from '../../../trainer/model/safetensors';
import { readModelWeights } from '../../../trainer/train/modelSource';
import { train } from '../../../trainer/train/train';
import { CLI, readEvents, smallConfig, tempDir, trainLosses, writeConfig } from '../../helpers/helpers';

const LORA = { rank: 4, alpha: 8, targets: ['q_proj', 'v_proj', 'o_proj', 'down_proj'] };

let dir = '';
let runDir = '';
let checkpoint = '';

/** Four steps, a checkpoint at 2 and 4; a high learning rate so four steps show. */
function loraConfig(model: Record<string, unknown> = {}) {
  return smallConfig({
    model: { preset: 'tiny', maxSeqLen: 128, lora: LORA, ...model },
    steps: 4,
    checkpointEvery: 2,
    optimizer: { lr: 0.02, warmupSteps: 1 },
    evaluation: { maxNewTokens: 4 },
  });
}

before(async () => {
  dir = tempDir();
  const cfg = writeConfig(dir, loraConfig());
  runDir = (await train({ configFile: cfg, runDir: path.join(dir, 'run'), quiet: true })).runDir;
  checkpoint = latestCheckpoint(runDir)!;
});

test('four LoRA steps lower the eval loss; the log counts the adapters as what trains', () => {
  const evals = readEvents(runDir).filter((e) => e.kind === 'eval');
  assert.deepEqual(
    evals.map((e) => e.step),
    [0, 4],
  );
  const [first, last] = evals.map((e) => (e.kind === 'eval' ? e.loss!.en : NaN));
  assert.ok(last < first - 0.05, `eval loss en ${first} -> ${last}`);
  // Per layer: q, v, o read and write d = 128 (A 4 x 128, B 128 x 4); down_proj reads F = 352 (A 4 x 352, B 128 x 4).
  const adapters = 4 * (3 * (4 * 128 + 128 * 4) + (4 * 352 + 128 * 4));
  assert.match(
    fs.readFileSync(path.join(runDir, 'trainer.log'), 'utf8'),
    new RegExp(`\\(${adapters} trained: LoRA rank 4`),
  );
});

test("the checkpoint's model.safetensors is the starting base, bit for bit; the adapters are PEFT's files", () => {
  assert.ok(checkpoint.endsWith('step-000004'));
  const ck = loadCheckpoint(checkpoint);
  const init = initParams(ck.state.modelConfig, 0); // the preset's weights from the run's seed
  assert.equal(ck.model.size, init.size);
  for (const [name, v] of init) assert.deepEqual(ck.model.get(name)!.data, v.dataSync(), name);
  tf.dispose([...init.values()]);

  const file = readSafetensors(path.join(checkpoint, 'adapter_model.safetensors')).tensors;
  const want = adapterShapes(ck.state.modelConfig);
  assert.equal(want.length, 4 * 4 * 2);
  const byName = (a: [string, number[]], b: [string, number[]]) => a[0].localeCompare(b[0]);
  assert.deepEqual(
    [...file].map(([n, a]): [string, number[]] => [n, a.shape]).sort(byName),
    want.map(([n, s]): [string, number[]] => [`base_model.model.${n}`, s]).sort(byName),
  );
  assert.deepEqual(file.get('base_model.model.model.layers.0.mlp.down_proj.lora_A.weight')!.shape, [4, 352]);
  assert.ok(
    [...file].some(([n, a]) => n.endsWith('lora_B.weight') && a.data.some((x) => x !== 0)),
    'B trained away from zero',
  );
  const json = JSON.parse(fs.readFileSync(path.join(checkpoint, 'adapter_config.json'), 'utf8'));
  assert.deepEqual(
    [json.peft_type, json.r, json.lora_alpha, json.target_modules, json.layers_to_transform],
    ['LORA', 4, 8, ['q_proj', 'v_proj', 'o_proj', 'down_proj'], null],
  );
  assert.equal(json.base_model_name_or_path, 'tiny');
  const hf = JSON.parse(fs.readFileSync(path.join(checkpoint, 'config.json'), 'utf8'));
  assert.ok(!('lora' in hf), 'config.json is the plain Hugging Face config');
  assert.deepEqual(ck.state.modelConfig.lora, { rank: 4, alpha: 8, targets: LORA.targets });
  // AdamW moments for the adapters only.
  const moments = [...ck.optimizer!.keys()];
  assert.equal(moments.length, 2 * want.length);
  assert.ok(moments.every((n) => /\.lora_[AB]\.weight\.exp_avg(_sq)?$/.test(n)));
});

test('loadModel (eval, score) merges the adapters: the logits of the training-time adapted forward', () => {
  const ck = loadCheckpoint(checkpoint);
  const mc = ck.state.modelConfig;
  const adapted = paramsFromArrays(mc, ck.model);
  for (const [name, v] of adapterParams(mc, ck.adapters!)) adapted.set(name, v);
  const loaded = loadModel(runDir);
  assert.ok(![...loaded.params.keys()].some((n) => n.includes('lora')), 'a plain model');
  const base = paramsFromArrays(mc, ck.model);
  const ids = tf.tensor2d([[257, 84, 111, 109, 32, 104, 97, 115, 258, 51]], [1, 10], 'int32');
  const [a, m, b] = [adapted, loaded.params, base].map((p) =>
    tf.tidy(() => forward(p, mc, ids).logits.dataSync() as Float32Array),
  );
  let worst = 0;
  let moved = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - m[i]));
    moved = Math.max(moved, Math.abs(a[i] - b[i]));
  }
  assert.ok(worst < 1e-4, `merged vs adapted logits differ by ${worst}`);
  assert.ok(moved > 1e-3, `the adapters moved the logits (${moved})`);
  tf.dispose([ids, ...adapted.values(), ...loaded.params.values(), ...base.values()]);
});

test('stop at step 2 and --resume: the adapters and moments continue, losses equal the uninterrupted run', async () => {
  const cfg = writeConfig(dir, loraConfig(), 'stopped.solar.json');
  const stop = { requested: false };
  const stopped = await train({
    configFile: cfg,
    runDir: path.join(dir, 'stopped'),
    quiet: true,
    stop,
    onStep: (step) => {
      if (step === 2) stop.requested = true;
    },
  });
  assert.equal(stopped.state, 'stopped');
  const resumed = await train({ resume: stopped.runDir, quiet: true });
  assert.equal(resumed.state, 'completed');
  assert.deepEqual([...trainLosses(stopped.runDir)], [...trainLosses(runDir)]);
  const a = readSafetensors(path.join(latestCheckpoint(stopped.runDir)!, 'adapter_model.safetensors')).tensors;
  const b = readSafetensors(path.join(checkpoint, 'adapter_model.safetensors')).tensors;
  for (const [name, t] of b) assert.deepEqual(a.get(name)!.data, t.data, name);
});

test('a resume whose checkpoint lost its adapter file is refused naming the file, nothing written', async () => {
  const copy = path.join(dir, 'broken');
  fs.cpSync(runDir, copy, { recursive: true });
  fs.rmSync(path.join(copy, 'trainer.lock'), { force: true });
  const ck = latestCheckpoint(copy)!;
  fs.rmSync(path.join(ck, 'adapter_model.safetensors'));
  const before = fs.readFileSync(path.join(copy, 'metrics.jsonl'), 'utf8');
  await assert.rejects(
    train({ resume: copy, steps: 6, quiet: true }),
    (e: unknown) => e instanceof InputError && e.location.file === path.join(ck, 'adapter_model.safetensors'),
  );
  assert.equal(fs.readFileSync(path.join(copy, 'metrics.jsonl'), 'utf8'), before);
});

test('solar export: the merged model in the Hugging Face layout, and the adapter files in adapter/', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  const r = run(['export', runDir]);
  assert.equal(r.status, 0, r.stderr);
  const out = path.join(runDir, 'export');
  const ck = loadCheckpoint(checkpoint);
  const merged = mergeAdapters(ck.state.modelConfig, ck.model, ck.adapters!);
  const hf = readHfFolder(out);
  assert.equal(hf.arrays.size, ck.model.size);
  for (const [name, a] of hf.arrays) assert.deepEqual(a.data, merged.get(name)!.data, name);
  const q = 'model.layers.0.self_attn.q_proj.weight';
  assert.notDeepEqual(hf.arrays.get(q)!.data, ck.model.get(q)!.data, 'the adapters are merged in');
  assert.ok(!fs.existsSync(path.join(out, 'adapter_config.json')), 'no adapter beside the merged weights');
  for (const f of ['adapter_model.safetensors', 'adapter_config.json'])
    assert.ok(fs.readFileSync(path.join(out, 'adapter', f)).equals(fs.readFileSync(path.join(checkpoint, f))), f);
  // A second export replaces the first (adapter/ is part of an export).
  const again = run(['export', runDir, '--dtype', 'bfloat16']);
  assert.equal(again.status, 0, again.stderr);
});

test("a LoRA checkpoint as another run's model folder is read with its adapters merged", () => {
  const ck = loadCheckpoint(checkpoint);
  const { lora: _, ...plain } = ck.state.modelConfig;
  const read = readModelWeights(checkpoint, plain);
  const merged = mergeAdapters(ck.state.modelConfig, ck.model, ck.adapters!);
  assert.equal(read.size, merged.size);
  for (const [name, a] of merged) assert.deepEqual(read.get(name)!.data, a.data, name);
});
