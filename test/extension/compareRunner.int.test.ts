// Compare Runs from the extension's side: the built `solar compare --json` on run folders
// written through protocol/runFolder, its output validated with the CompareReport schema;
// and every way it can fail (bad exit, no JSON, a report of another shape, cancel,
// timeout) turned into one message, never an exception.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readCompareResult, runCompare } from '../../extension/compareRunner';
import type { CommandResult } from '../../extension/trainerCommand';
import { RunConfig } from '../../protocol/runConfig';
import { appendEvent, runFile, writeJsonAtomic, writeStatus } from '../../protocol/runFolder';
import { CLI, TEST_NODE, tempDir } from '../helpers/helpers';

function writeRun(root: string, name: string, lambda: number, seed: number, en: number): string {
  const dir = path.join(root, `${name}-${seed}`);
  fs.mkdirSync(dir);
  const config = RunConfig.parse({
    name,
    seed,
    steps: 2,
    objective: { lambda },
    data: { train: '/d/t.parallel.jsonl' },
  });
  writeJsonAtomic(runFile(dir, 'config'), config);
  const time = '2025-01-01T00:00:00Z';
  writeStatus(dir, {
    runId: path.basename(dir),
    state: 'completed',
    pid: 1,
    step: 2,
    totalSteps: 2,
    startedAt: time,
    updatedAt: time,
  });
  appendEvent(dir, { kind: 'eval', step: 0, accuracy: { en: 0.1, sw: 0 } });
  for (const step of [1, 2])
    appendEvent(dir, {
      kind: 'train',
      step,
      time,
      loss: 3 - step,
      ce: { en: 2, sw: 3 },
      align: {},
      lr: 0.001,
      tokensPerSec: 1,
    });
  appendEvent(dir, { kind: 'eval', step: 2, accuracy: { en, sw: 0.2 } });
  return dir;
}

test('the built CLI compares run folders; the host gets a validated report', async () => {
  assert.ok(fs.existsSync(CLI), 'dist/trainer.js: run npm run build first');
  const root = tempDir();
  const dirs = [
    writeRun(root, 'solar', 0.5, 0, 0.5),
    writeRun(root, 'sft', 0, 0, 0.3),
    writeRun(root, 'solar', 0.5, 1, 0.6),
  ];
  const out = await runCompare(TEST_NODE, CLI, dirs);
  assert.ok(out.ok, out.ok ? '' : `${out.message}\n${out.stderr}`);
  const { report } = out;
  assert.deepEqual(
    report.groups.map((g) => [g.label, g.runs.length]),
    [
      ['solar', 2],
      ['sft', 1],
    ],
  );
  assert.equal(report.base?.label, 'base (step 0)');
  const en = report.deltas.find((d) => d.label === 'sft')!.accuracy.en;
  assert.ok(Math.abs(en.delta - (0.3 - 0.55)) < 1e-9);
  assert.equal(en.withinNoise, null, 'one SFT seed: spread unknown');
  assert.deepEqual(
    report.groups[0].curves.loss.map((p) => [p.step, p.mean, p.n]),
    [
      [1, 2, 2],
      [2, 1, 2],
    ],
  );

  const missing = await runCompare(TEST_NODE, CLI, [dirs[0], path.join(root, 'nope')]);
  assert.equal(missing.ok, false);
  assert.match(missing.ok ? '' : missing.message, /nope.*config\.json|config\.json.*nope/);
});

function result(o: Partial<CommandResult>): CommandResult {
  return { code: 0, signal: null, stdout: '', stderr: '', ...o };
}

test('failures become one message: exit code, no JSON, another shape, cancelled, timed out', () => {
  const bad = readCompareResult(result({ code: 2, stderr: '\nsolar: error: /r/x/config.json: a run folder file\n' }));
  assert.deepEqual(bad.ok ? null : [bad.cancelled, bad.message], [false, '/r/x/config.json: a run folder file']);
  const text = readCompareResult(result({ stdout: 'accuracy (%), mean±std over seeds' }));
  assert.match(text.ok ? '' : text.message, /no JSON comparison/);
  const shape = readCompareResult(result({ stdout: JSON.stringify([{ label: 'solar' }]) }));
  assert.match(shape.ok ? '' : shape.message, /does not match this extension/);
  const cancelled = readCompareResult(result({ code: null, signal: 'SIGTERM', aborted: 'cancelled' }));
  assert.equal(cancelled.ok ? false : cancelled.cancelled, true);
  const late = readCompareResult(result({ code: null, signal: 'SIGTERM', aborted: 'timeout' }));
  assert.match(late.ok ? '' : late.message, /time limit/);
});
