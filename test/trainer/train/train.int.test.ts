// Short real training runs on the wasm backend over the example datasets.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { MetricEvent, RunStatus } from '../../../protocol/metrics';
import { latestCheckpoint } from '../../../protocol/runFolder';
import { assignArrays, loadCheckpoint } from '../../../trainer/model/checkpoint';
import { readFolderWeights } from '../../../trainer/model/hfWeights';
import { forward, initParams } from '../../../trainer/model/model';
import { presetConfig } from '../../../trainer/model/modelConfig';
import { train } from '../../../trainer/train/train';
import { readEvents, smallConfig, tempDir, trainLosses, writeConfig } from '../../helpers/helpers';

test('a short run on the examples lowers the loss on wasm and writes a complete run folder', async () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, smallConfig({ steps: 16, optimizer: { lr: 0.004, warmupSteps: 2 } }));
  const r = await train({ configFile: cfg, runDir: path.join(dir, 'run'), quiet: true });
  assert.equal(r.state, 'completed');
  const status = RunStatus.parse(JSON.parse(fs.readFileSync(path.join(r.runDir, 'status.json'), 'utf8')));
  assert.equal(status.backend, 'wasm');
  assert.equal(status.step, 16);
  assert.equal(status.state, 'completed');
  const events = readEvents(r.runDir);
  for (const e of events) MetricEvent.parse(e); // every line is a valid event
  const losses = [...trainLosses(r.runDir).values()];
  assert.equal(losses.length, 16);
  const first = (losses[0] + losses[1] + losses[2]) / 3;
  const last = (losses[13] + losses[14] + losses[15]) / 3;
  assert.ok(last < first - 0.5, `loss should fall clearly: first ${first.toFixed(3)}, last ${last.toFixed(3)}`);
  const evals = events.filter((e) => e.kind === 'eval');
  assert.deepEqual(
    evals.map((e) => e.step),
    [0, 16],
  );
  const train1 = events.find((e) => e.kind === 'train')!;
  assert.ok((train1.kind === 'train' && 'sw' in train1.ce) || Object.keys((train1 as { ce: object }).ce).length >= 2);
  const cfgSaved = JSON.parse(fs.readFileSync(path.join(r.runDir, 'config.json'), 'utf8'));
  assert.equal(cfgSaved.objective.tau, 1, 'the resolved config (defaults filled in) is saved');
  const last16 = latestCheckpoint(r.runDir)!;
  assert.ok(last16.endsWith('step-000016'));
  // The finished model, exported in the Hugging Face layout with a tokenizer other tools read.
  const exported = path.join(r.runDir, 'export');
  assert.deepEqual(fs.readdirSync(exported).sort(), [
    'config.json',
    'generation_config.json',
    'model.safetensors',
    'tokenizer.json',
    'tokenizer_config.json',
  ]);
  const model = readFolderWeights(exported).arrays;
  for (const [name, a] of loadCheckpoint(last16).model)
    assert.deepEqual(model.get(name)?.data, a.data, `${name}: the exported weights are the final checkpoint's`);
});

test('checkpoint -> reload gives identical logits', async () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, smallConfig({ steps: 3 }));
  const r = await train({ configFile: cfg, runDir: path.join(dir, 'run'), quiet: true });
  const ck = loadCheckpoint(latestCheckpoint(r.runDir)!);
  const mc = ck.state.modelConfig;
  const a = initParams(mc, 123);
  const b = initParams(mc, 456);
  assignArrays(a, ck.model, 'model.safetensors');
  assignArrays(b, ck.model, 'model.safetensors');
  const ids = tf.tensor2d([[257, 72, 105, 258, 50, 43]], [1, 6], 'int32');
  const la = tf.tidy(() => forward(a, mc, ids).logits.dataSync());
  const lb = tf.tidy(() => forward(b, mc, ids).logits.dataSync());
  assert.deepEqual(la, lb);
  // And the weights are the trained ones, not an init.
  const fresh = initParams(presetConfig('tiny', 128), 0);
  const lf = tf.tidy(() => forward(fresh, mc, ids).logits.dataSync());
  assert.notDeepEqual(la, lf);
  assert.ok(fs.existsSync(path.join(ck.dir, 'config.json')), 'Hugging Face config.json');
  tf.dispose([ids, ...a.values(), ...b.values(), ...fresh.values()]);
});

test('stop then --resume continues step, schedule, optimizer state and data order exactly', async () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, smallConfig({ steps: 6 }));
  const full = await train({ configFile: cfg, runDir: path.join(dir, 'full'), quiet: true });
  const stop = { requested: false };
  const part = await train({
    configFile: cfg,
    runDir: path.join(dir, 'part'),
    quiet: true,
    stop,
    onStep: (s) => {
      if (s === 3) stop.requested = true;
    },
  });
  assert.equal(part.state, 'stopped');
  assert.equal(part.step, 3);
  assert.equal(JSON.parse(fs.readFileSync(path.join(part.runDir, 'status.json'), 'utf8')).state, 'stopped');
  assert.ok(latestCheckpoint(part.runDir)?.endsWith('step-000003'));
  const resumed = await train({ resume: part.runDir, quiet: true });
  assert.equal(resumed.state, 'completed');
  const a = trainLosses(full.runDir);
  const b = trainLosses(part.runDir); // the resumed run appends to the same metrics.jsonl
  for (let s = 1; s <= 6; s++) assert.equal(b.get(s), a.get(s), `step ${s}`);
});
