// Evaluate Checkpoint from the extension's side, on the built CLI: a run trained for two
// steps, its older checkpoint evaluated on other data (`--data`), the outcome naming the
// file saved in the run's evals/ (which the Metrics panel's Generations card then reads
// and validates); a bad data file comes back as the trainer's one-line message; Cancel
// stops the trainer and is reported as cancelled.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readEvalFile } from '../../extension/evalFiles';
import { runEvaluation } from '../../extension/evalRunner';
import { listCheckpoints } from '../../protocol/runFolder';
import { train } from '../../trainer/train/train';
import { CLI, EXAMPLES, smallConfig, TEST_NODE, tempDir, writeConfig } from '../helpers/helpers';

async function trainedRun(): Promise<string> {
  const dir = tempDir();
  const config = writeConfig(dir, smallConfig({ name: 'mini', steps: 2, checkpointEvery: 1 }));
  const runDir = path.join(dir, 'run');
  const r = await train({ configFile: config, runDir, quiet: true });
  assert.equal(r.state, 'completed');
  return runDir;
}

/** The first `n` items of the example eval set, as another data file. */
function smallData(n: number): string {
  const lines = fs
    .readFileSync(path.join(EXAMPLES, 'data', 'eval.parallel.jsonl'), 'utf8')
    .split('\n')
    .slice(0, n);
  const file = path.join(tempDir(), 'few.parallel.jsonl');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('an older checkpoint evaluated on other data: the saved file is named and validates', async () => {
  assert.ok(fs.existsSync(CLI), 'dist/trainer.js: run npm run build first');
  const runDir = await trainedRun();
  const checkpoints = listCheckpoints(runDir, { complete: true });
  assert.deepEqual(
    checkpoints.map((c) => c.step),
    [1, 2],
  );
  const data = smallData(2);
  const progress: string[] = [];
  const out = await runEvaluation(
    TEST_NODE,
    CLI,
    { runDir, checkpointDir: checkpoints[0].dir, data },
    { onProgress: (m) => progress.push(m) },
  );
  assert.ok(out.ok, out.ok ? '' : `${out.message}\n${out.stderr}`);
  assert.equal(progress.length, 1, 'the notification says what is evaluated');
  assert.match(progress[0], /^2 items in (\w+, )*en(, \w+)* \(\w+\)$/, progress[0]);
  assert.equal(out.file, 'few-step-000001.json');
  const report = readEvalFile(runDir, out.file);
  assert.equal(report.step, 1);
  assert.equal(report.data, data);
  assert.equal(report.gold?.length, 2);
  assert.match(out.stdout, /saved .*few-step-000001\.json/);
});

test("a bad data file: the trainer's message, no file; Cancel stops the trainer", async () => {
  const runDir = await trainedRun();
  const [checkpoint] = listCheckpoints(runDir, { complete: true }).slice(-1);
  const missing = path.join(tempDir(), 'missing.parallel.jsonl');
  const bad = await runEvaluation(TEST_NODE, CLI, { runDir, checkpointDir: checkpoint.dir, data: missing });
  assert.ok(!bad.ok);
  assert.equal(bad.cancelled, false);
  assert.ok(bad.message.includes(missing), bad.message);
  assert.ok(!bad.message.startsWith('solar:'), 'the prefix is dropped');
  assert.ok(!fs.existsSync(path.join(runDir, 'evals')), 'nothing saved');

  // Cancelled as soon as it starts (the token fires before the trainer could finish).
  let cancel = () => {};
  const token = {
    isCancellationRequested: false,
    onCancellationRequested(listener: () => void) {
      cancel = listener;
      return { dispose() {} };
    },
  };
  const pending = runEvaluation(TEST_NODE, CLI, { runDir, checkpointDir: checkpoint.dir }, { token });
  cancel();
  const out = await pending;
  assert.deepEqual(out.ok ? null : [out.cancelled, out.message], [true, 'cancelled']);
});
