// "Score with Run…" from the extension's side: the built `solar data score` on a real
// one-step run, its progress lines followed as they come, its sidecar read back validated;
// and every way it can fail (bad run, cancel, a sidecar of another shape) turned into one
// message, never an exception.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { ProgressLines, readScoreResult, runScore } from '../../../extension/datasetEditor/scoreRunner';
import type { Cancellation } from '../../../extension/trainerCommand';
import { sidecarPath } from '../../../protocol/datasetScoresFile';
import { train } from '../../../trainer/train/train';
import { sampleItems } from '../../helpers/fixtures';
import { CLI, EXAMPLES, smallConfig, TEST_NODE, tempDir, writeConfig } from '../../helpers/helpers';

let dir = '';
let runDir = '';
let data = '';

before(async () => {
  assert.ok(fs.existsSync(CLI), 'dist/trainer.js: run npm run build first');
  dir = tempDir();
  const cfg = writeConfig(dir, smallConfig({ steps: 1, model: { preset: 'tiny', maxSeqLen: 256 } }));
  runDir = (await train({ configFile: cfg, runDir: path.join(dir, 'run'), quiet: true })).runDir;
  data = path.join(dir, 'small.parallel.jsonl');
  fs.writeFileSync(
    data,
    sampleItems()
      .map((it) => JSON.stringify(it))
      .join('\n') + '\n',
  );
});

test('the built CLI scores the file; progress arrives as it goes; the host gets the validated sidecar', async () => {
  const progress: [number, number][] = [];
  const out = await runScore(
    TEST_NODE,
    CLI,
    { target: runDir, file: data, out: sidecarPath(data) },
    { onProgress: (d, t) => progress.push([d, t]) },
  );
  assert.ok(out.ok, out.ok ? '' : `${out.message}\n${out.stderr}`);
  assert.deepEqual(
    out.scores.items.map((it) => it.id),
    ['a1', 'a2', 'a3'],
  );
  assert.equal(out.scores.run.dir, runDir);
  assert.deepEqual(progress.at(-1), [7, 7], 'seven rows in the sample items');
});

test('a folder that is not a run: the error line, without its prefix', async () => {
  const out = await runScore(TEST_NODE, CLI, { target: dir, file: data, out: path.join(dir, 'x.json') });
  assert.ok(!out.ok);
  assert.equal(out.cancelled, false);
  assert.equal(out.message, `${dir}: a run folder with a checkpoint, or a checkpoint folder (with trainer_state.json)`);
  assert.ok(!fs.existsSync(path.join(dir, 'x.json')));
});

test('cancel: the trainer is stopped, the outcome says cancelled, no sidecar is written', async () => {
  const listeners: (() => void)[] = [];
  let cancelled = false;
  const token: Cancellation = {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested: (l) => {
      listeners.push(l);
      return { dispose: () => {} };
    },
  };
  const cancel = () => {
    cancelled = true;
    for (const l of listeners) l();
  };
  const target = path.join(dir, 'cancelled.json');
  // The example eval set: many passes, so the stop comes between two of them.
  const eval60 = path.join(EXAMPLES, 'data', 'eval.parallel.jsonl');
  const out = await runScore(
    TEST_NODE,
    CLI,
    { target: runDir, file: eval60, out: target },
    // The first progress line comes once the trainer listens for signals.
    { token, onProgress: cancel },
  );
  assert.ok(!out.ok);
  assert.equal(out.cancelled, true);
  assert.ok(!fs.existsSync(target));
});

test('exit 0 but a sidecar of another shape is a message, not an exception', () => {
  const bad = path.join(dir, 'bad.scores.json');
  fs.writeFileSync(bad, JSON.stringify({ kind: 'datasetScores', version: 99 }));
  const out = readScoreResult({ code: 0, signal: null, stdout: '', stderr: '' }, bad);
  assert.ok(!out.ok);
  assert.match(out.message, /^the scores it wrote do not match this extension \(.*bad\.scores\.json/);
  const timeout = readScoreResult({ code: null, signal: 'SIGTERM', stdout: '', stderr: '', aborted: 'timeout' }, bad);
  assert.ok(!timeout.ok && !timeout.cancelled && /time limit/.test(timeout.message));
});

test('progress lines are read across chunk boundaries; other lines are ignored', () => {
  const seen: [number, number][] = [];
  const p = new ProgressLines((d, t) => seen.push([d, t]));
  p.feed('scoring 3 items…\nprogr');
  p.feed('ess 2/7\nprogress 7/');
  assert.deepEqual(seen, [[2, 7]]);
  p.feed('7\r\nprogress 0/0\n');
  assert.deepEqual(seen, [
    [2, 7],
    [7, 7],
  ]);
});
