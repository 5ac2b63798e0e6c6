// Evaluate Checkpoint's reading of a finished `solar eval`: the trainer's one-line reason
// from its stderr (input errors, failures, usage errors), the saved evaluation named by
// its `saved FILE` line (only a file in this run's evals/), else the one written since the
// start; cancel and timeout are reasons, never exceptions.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { evalArgs, evalProgress, readEvalResult, savedEvalFile } from '../../extension/evalRunner';
import type { CommandResult } from '../../extension/trainerCommand';
import { trainerMessage } from '../../extension/trainerCommand';
import { runFile } from '../../protocol/runFolder';
import { tempDir } from '../helpers/helpers';

const result = (o: Partial<CommandResult>): CommandResult => ({
  code: 0,
  signal: null,
  stdout: '',
  stderr: '',
  ...o,
});

function runWithEvals(...names: string[]): string {
  const runDir = path.join(tempDir(), 'demo-20250101-000000');
  fs.mkdirSync(runFile(runDir, 'evals'), { recursive: true });
  for (const n of names) fs.writeFileSync(path.join(runFile(runDir, 'evals'), n), '{}');
  return runDir;
}

test('the arguments: the checkpoint folder, and --data only for other data', () => {
  const req = { runDir: '/r', checkpointDir: '/r/checkpoints/step-000050' };
  assert.deepEqual(evalArgs('/x/trainer.js', req), ['/x/trainer.js', 'eval', '/r/checkpoints/step-000050']);
  assert.deepEqual(evalArgs('/x/trainer.js', { ...req, data: '/ws/gsm.parallel.jsonl' }), [
    '/x/trainer.js',
    'eval',
    '/r/checkpoints/step-000050',
    '--data',
    '/ws/gsm.parallel.jsonl',
  ]);
});

test("the trainer's reason: input error, failure, usage error, else the last line", () => {
  assert.equal(
    trainerMessage('evaluating x…\n\nsolar: error: /ws/e.parallel.jsonl line 3, field "answer": a string\n'),
    '/ws/e.parallel.jsonl line 3, field "answer": a string',
  );
  assert.equal(
    trainerMessage('solar: warning: skipped a line\n\nsolar: failed: Error: out of memory\n    at f (x.js:1:1)\n'),
    'out of memory',
  );
  assert.equal(
    trainerMessage('solar: eval needs exactly one run folder or checkpoint folder\n\nusage:\n  solar train …\n'),
    'eval needs exactly one run folder or checkpoint folder',
  );
  assert.equal(trainerMessage('Segmentation fault\n\n'), 'Segmentation fault');
  assert.equal(trainerMessage(''), undefined);
});

test('the saved evaluation: the "saved" line when it is a file of this run, else the one written since the start', () => {
  const runDir = runWithEvals('eval-step-000050.json', 'gsm-step-000050.json');
  const evals = runFile(runDir, 'evals');
  const table = 'lang  acc\nen    0.0%\n';
  assert.equal(
    savedEvalFile(`${table}saved ${path.join(evals, 'gsm-step-000050.json')}\n`, runDir, 0),
    'gsm-step-000050.json',
  );
  // A line naming a file elsewhere, or not an eval file, is not trusted: the newest file since the start is.
  const older = Date.now() / 1000 - 3600;
  fs.utimesSync(path.join(evals, 'gsm-step-000050.json'), older, older);
  const start = Date.now() - 60_000;
  assert.equal(savedEvalFile(`saved /elsewhere/evals/x-step-000001.json\n`, runDir, start), 'eval-step-000050.json');
  assert.equal(savedEvalFile(`saved ${path.join(evals, 'notes.txt')}\n`, runDir, start), 'eval-step-000050.json');
  assert.equal(savedEvalFile(table, runDir, Date.now() + 60_000), undefined, 'nothing written since the start');
  assert.equal(savedEvalFile('', path.join(tempDir(), 'no-evals-yet'), 0), undefined);
});

test('a finished evaluation, a failed one, a cancelled one, one over its time limit', () => {
  const runDir = runWithEvals('eval-step-000150.json');
  const req = { runDir, checkpointDir: path.join(runDir, 'checkpoints', 'step-000150') };
  const saved = `saved ${path.join(runFile(runDir, 'evals'), 'eval-step-000150.json')}\n`;
  assert.deepEqual(readEvalResult(result({ stdout: saved }), req, 0), {
    ok: true,
    file: 'eval-step-000150.json',
    stdout: saved,
  });

  const bad = readEvalResult(
    result({ code: 2, stderr: '\nsolar: error: /d/x.jsonl: a readable file (ENOENT)\n' }),
    req,
    0,
  );
  assert.deepEqual(bad, {
    ok: false,
    cancelled: false,
    message: '/d/x.jsonl: a readable file (ENOENT)',
    stderr: '\nsolar: error: /d/x.jsonl: a readable file (ENOENT)\n',
  });
  const killed = readEvalResult(result({ code: null, signal: 'SIGKILL' }), req, 0);
  assert.equal(!killed.ok && killed.message, 'the trainer exited with SIGKILL');

  const cancelled = readEvalResult(result({ code: null, signal: 'SIGTERM', aborted: 'cancelled' }), req, 0);
  assert.equal(!cancelled.ok && cancelled.cancelled, true);
  const late = readEvalResult(result({ code: null, signal: 'SIGTERM', aborted: 'timeout' }), req, 0);
  assert.deepEqual(late.ok ? null : [late.cancelled, late.message], [
    false,
    'it ran past its time limit and was stopped',
  ]);

  const nothing = readEvalResult(result({ stdout: 'done\n' }), req, Date.now() + 60_000);
  assert.match(nothing.ok ? '' : nothing.message, /no evaluation was saved/);
});

test('the progress line: what is evaluated, from the line `solar eval` starts with', () => {
  assert.equal(
    evalProgress(
      'evaluating /r/checkpoints/step-000150 on 60 items of /ws/data/eval.parallel.jsonl in en, es, sw (wasm)…\n',
    ),
    '60 items in en, es, sw (wasm)',
  );
  assert.equal(evalProgress("The kernel 'Add' for backend 'tensorflow' is already registered"), undefined);
  assert.equal(evalProgress('solar: warning: evaluating'), undefined);
});
