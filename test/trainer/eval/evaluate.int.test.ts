// Evaluation end to end on real (tiny) trained runs: the eval event's shape and
// invariants, multiple-choice scoring by likelihood, `solar eval`, `solar compare`
// grouping seeds, and `solar data import`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { ParallelItem } from '../../../protocol/dataset';
import { EvalEvent } from '../../../protocol/metrics';
import { RunConfig } from '../../../protocol/runConfig';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import { compareRuns } from '../../../trainer/eval/compare';
import { type EvalSettings, evaluate } from '../../../trainer/eval/evaluate';
import { initParams } from '../../../trainer/model/model';
import { presetConfig } from '../../../trainer/model/modelConfig';
import { makeBatch } from '../../../trainer/train/batches';
import { computeLoss } from '../../../trainer/train/objective';
import { train } from '../../../trainer/train/train';
import { sampleItems } from '../../helpers/fixtures';
import { CLI, ROOT, readEvents, smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

const solar = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

before(async () => {
  await selectBackend('wasm');
});

test('an evaluation reports every metric with its invariants, and scores choices by likelihood', () => {
  const c = {
    ...presetConfig('tiny', 128),
    hiddenSize: 32,
    numHiddenLayers: 2,
    numAttentionHeads: 2,
    intermediateSize: 48,
  };
  const params = initParams(c, 5);
  const mc: ParallelItem = {
    id: 'mc',
    answer: '1',
    langs: {
      en: {
        prompt: 'The man broke his toe. What was the cause?',
        choices: ['He dropped a hammer on his foot.', 'He got a hole in his sock.'],
      },
      sw: {
        prompt: 'Mwanamume alivunjika kidole. Sababu ilikuwa nini?',
        choices: ['Aliangusha nyundo mguuni.', 'Soksi yake ilitoboka.'],
      },
    },
  };
  const items = [...sampleItems(), mc];
  const cfg = RunConfig.parse({ data: { train: 'x' } });
  const s: EvalSettings = {
    languages: ['en', 'sw', 'te'],
    pivot: 'en',
    lowResource: ['sw', 'te'],
    maxSeqLen: 128,
    objective: cfg.objective,
    evaluation: { ...cfg.evaluation, maxNewTokens: 12, probeFolds: 2, perLayerSimilarity: true },
  };
  const { metrics, answers } = evaluate(params, c, items, s);
  EvalEvent.parse({ kind: 'eval', step: 0, ...metrics });
  for (const l of ['en', 'sw', 'te']) assert.ok(metrics.accuracy![l] >= 0 && metrics.accuracy![l] <= 1);
  for (const m of [metrics.similarity!, metrics.softTokenSimilarity!]) {
    assert.deepEqual(m.languages, ['en', 'sw', 'te']);
    m.matrix.forEach((row, i) =>
      row.forEach((v, j) => {
        assert.ok(Math.abs(v - m.matrix[j][i]) < 1e-9, 'symmetric');
        if (i === j) assert.ok(Math.abs(v - 1) < 1e-5, 'unit diagonal');
      }),
    );
  }
  assert.equal(metrics.layerSimilarity!.length, 2);
  assert.ok(metrics.separability!.chance > 0 && metrics.separability!.chance < 1);
  assert.ok('sw' in metrics.consistency! && !('en' in metrics.consistency!));
  assert.ok(metrics.accuracyLowResource !== undefined);
  // The multiple-choice answer is the choice with the lowest summed response CE, computed here independently.
  for (const l of ['en', 'sw'] as const) {
    const e = mc.langs[l];
    const b = makeBatch(
      e.choices!.map((ch, i) => ({ id: String(i), answer: '0', langs: { [l]: { prompt: e.prompt, response: ch } } })),
      { languages: [l], pivot: l, maxSeqLen: 128, pool: 'response' },
    );
    const ce = tf.tidy(() => computeLoss(params, c, b, { ...cfg.objective, lambda: 0 }).rowCe.arraySync());
    assert.equal(answers.get(l)![3], String(ce[0] <= ce[1] ? 0 : 1), l);
  }
  assert.equal(answers.get('te')![1], undefined, 'item a2 has no Telugu');
  tf.dispose([...params.values()]);
});

test('solar eval and solar compare on real runs: seeds are grouped with their spread', async () => {
  const dir = tempDir();
  const runs: string[] = [];
  for (const [name, lambda, seed] of [
    ['solar', 0.5, 0],
    ['solar', 0.5, 1],
    ['sft', 0, 0],
  ] as const) {
    const cfg = writeConfig(
      dir,
      smallConfig({ name, objective: { lambda }, seed, steps: 3 }),
      `${name}-${seed}.solar.json`,
    );
    runs.push((await train({ configFile: cfg, runDir: path.join(dir, `${name}-${seed}`), quiet: true })).runDir);
  }
  const steps = readEvents(runs[0])
    .filter((e) => e.kind === 'eval')
    .map((e) => e.step);
  assert.deepEqual(steps, [0, 3], 'step 0 is evaluated before any training');

  const ev = solar(['eval', runs[0], '--size', '3']);
  assert.equal(ev.status, 0, ev.stderr);
  assert.match(ev.stdout, /^lang +accuracy/m);
  assert.match(ev.stdout, /^sw +/m);
  assert.match(ev.stdout, /separability: silhouette/);
  const saved = JSON.parse(fs.readFileSync(path.join(runs[0], 'evals', 'eval-step-000003.json'), 'utf8'));
  EvalEvent.parse(saved);
  assert.equal(saved.items, 3);

  const report = compareRuns(runs);
  const groups = [report.base!, ...report.groups];
  assert.deepEqual(
    groups.map((g) => g.label),
    ['base (step 0)', 'solar', 'sft'],
  );
  assert.equal(groups[1].accuracy.en.n, 2, 'two seeds of the same config form one group');
  assert.equal(groups[2].accuracy.en.n, 1);
  const cmp = solar(['compare', ...runs]);
  assert.equal(cmp.status, 0, cmp.stderr);
  assert.match(cmp.stdout, /solar \(n=2\)/);
  assert.match(cmp.stdout, /delta vs solar/);
  assert.match(cmp.stdout, /silhouette/);
});

test('solar data import turns benchmark files into a valid parallel dataset; bad files fail with exit 2', () => {
  const dir = tempDir();
  const out = path.join(dir, 'mgsm.parallel.jsonl');
  const fx = path.join(ROOT, 'test', 'fixtures', 'benchmarks', 'mgsm');
  const files = fs.readdirSync(fx).map((f) => path.join(fx, f));
  const r = solar(['data', 'import', '--format', 'mgsm', '--out', out, ...files]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(solar(['data', 'validate', out]).status, 0);
  const bad = path.join(dir, 'mgsm_en.tsv');
  fs.writeFileSync(bad, 'How many?\t3\nno tab here\n');
  const e = solar(['data', 'import', '--format', 'mgsm', '--out', path.join(dir, 'x.jsonl'), bad]);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /mgsm_en\.tsv:2/);
  assert.ok(!fs.existsSync(path.join(dir, 'x.jsonl')));
});
