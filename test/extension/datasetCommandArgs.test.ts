// The dataset palette commands' pure half: the `solar data validate|generate` command lines,
// the generator's language list kept equal to the trainer's, the item-count check, the
// dataset suffix of a saved file, and reading `file:line` problems out of the trainer's output.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  countProblem,
  GENERATOR_LANGUAGES,
  generateArgs,
  placeIn,
  problemFile,
  problemLocation,
  readCliResult,
  readValidateResult,
  validateArgs,
  withDatasetSuffix,
} from '../../extension/datasetCommandArgs';
import type { CommandResult } from '../../extension/trainerCommand';
import { GENERATOR_LANGUAGES as TRAINER_LANGUAGES } from '../../trainer/data/generate/generate';

const result = (o: Partial<CommandResult>): CommandResult => ({ code: 0, signal: null, stdout: '', stderr: '', ...o });

test("the extension's generator languages are the trainer's, in its order", () => {
  assert.deepEqual([...GENERATOR_LANGUAGES], [...TRAINER_LANGUAGES]);
});

test('validate runs `data validate FILE`', () => {
  assert.deepEqual(validateArgs('/x/trainer.js', '/ws/a.parallel.jsonl'), [
    '/x/trainer.js',
    'data',
    'validate',
    '/ws/a.parallel.jsonl',
  ]);
});

test('generate passes count, output and the languages, the pivot always first and once', () => {
  assert.deepEqual(
    generateArgs('/x/trainer.js', { count: 50, languages: ['sw', 'en', 'yo'], out: '/ws/s.parallel.jsonl' }),
    ['/x/trainer.js', 'data', 'generate', '--out', '/ws/s.parallel.jsonl', '--count', '50', '--languages', 'en,sw,yo'],
  );
  assert.equal(generateArgs('/t', { count: 1, languages: [], out: '/o' }).at(-1), 'en');
});

test('the count must be a whole number from 1 to the maximum', () => {
  assert.equal(countProblem('200'), undefined);
  assert.equal(countProblem(' 7 '), undefined);
  assert.equal(countProblem('100000'), undefined);
  for (const bad of ['', 'abc', '1.5', '-3', '0', '100001']) assert.ok(countProblem(bad), bad);
});

test('a saved file gets the dataset suffix exactly once', () => {
  assert.equal(withDatasetSuffix('/ws/a.parallel.jsonl'), '/ws/a.parallel.jsonl');
  assert.equal(withDatasetSuffix('/ws/a.jsonl'), '/ws/a.parallel.jsonl');
  assert.equal(withDatasetSuffix('/ws/a'), '/ws/a.parallel.jsonl');
});

test('the file and line a message starts with, Windows drives included', () => {
  assert.deepEqual(problemLocation('/ws/a.parallel.jsonl:12 (field "langs.sw.prompt"): expected string'), {
    file: '/ws/a.parallel.jsonl',
    line: 12,
  });
  assert.deepEqual(problemLocation('C:\\ws\\a.parallel.jsonl:3: invalid JSON'), {
    file: 'C:\\ws\\a.parallel.jsonl',
    line: 3,
  });
  assert.deepEqual(problemLocation('/ws/a.parallel.jsonl:4'), { file: '/ws/a.parallel.jsonl', line: 4 });
  assert.equal(problemLocation('/ws/a.parallel.jsonl: empty file'), undefined);
  assert.equal(problemLocation('--languages: languages the generator knows'), undefined);
  assert.equal(problemLocation('/ws/a.parallel.jsonl:0: nothing'), undefined);
});

test('a run error names a place to open only when the file is on disk (the "Open NAME:LINE" button)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'solar-place-'));
  const data = path.join(dir, 'train.parallel.jsonl');
  fs.writeFileSync(data, '{}\n{\n');
  assert.deepEqual(placeIn(`${data}:2: one JSON object per line`), { file: data, line: 2 });
  assert.equal(placeIn(`${path.join(dir, 'gone.parallel.jsonl')}:2: one JSON object per line`), undefined);
  assert.equal(placeIn('the trainer exited with 1'), undefined);
  // A relative name (as `solar data validate` echoes what it was given) is the file the command read.
  assert.deepEqual(placeIn('train.parallel.jsonl:2 (field "id"): a string', data), { file: data, line: 2 });
  assert.equal(placeIn('train.parallel.jsonl:2 (field "id"): a string'), undefined);
});

test('a valid file: its item count and the warnings with their lines', () => {
  const stdout = [
    '/ws/a.parallel.jsonl: 3 items ok (en 3, sw 2)',
    '  2 warnings:',
    '  /ws/a.parallel.jsonl:2 (field "langs.sw.response"): the last number is not the answer',
    '  /ws/a.parallel.jsonl:3: item without the pivot',
    '  responses: sw 1/2',
    '',
  ].join('\n');
  const out = readValidateResult(result({ stdout }));
  assert.ok(out.ok);
  assert.equal(out.items, 3);
  assert.deepEqual(
    out.warnings.map((w) => [w.file, w.line]),
    [
      ['/ws/a.parallel.jsonl', 2],
      ['/ws/a.parallel.jsonl', 3],
    ],
  );
  assert.match(out.warnings[0].text, /last number/);
});

test('an invalid file: the trainer message and the line it names', () => {
  const stderr = '\nsolar: error: /ws/a.parallel.jsonl:5 (field "id"): expected string (missing)\n';
  const out = readValidateResult(result({ code: 2, stderr }));
  assert.ok(!out.ok);
  assert.equal(out.message, '/ws/a.parallel.jsonl:5 (field "id"): expected string (missing)');
  assert.deepEqual(out.problem && [out.problem.file, out.problem.line], ['/ws/a.parallel.jsonl', 5]);
});

test('a failure without a place has no problem to open; cancel and timeout are reasons', () => {
  const missing = readValidateResult(result({ code: 1, stderr: '\nsolar: failed: Error: ENOENT: no such file\n' }));
  assert.ok(!missing.ok && missing.problem === undefined);
  const cancelled = readValidateResult(result({ code: null, signal: 'SIGTERM', aborted: 'cancelled' }));
  assert.ok(!cancelled.ok && cancelled.cancelled);
  const timeout = readCliResult(result({ code: null, signal: 'SIGTERM', aborted: 'timeout' }));
  assert.ok(!timeout.ok && !timeout.cancelled && /time limit/.test(timeout.message));
  const silent = readValidateResult(result({ stdout: 'something else\n' }));
  assert.ok(!silent.ok && /no item count/.test(silent.message));
});

test('a problem opens the file it names when absolute, else the validated one', () => {
  assert.equal(
    problemFile({ text: 'x', file: '/ws/b.parallel.jsonl', line: 2 }, '/ws/a.parallel.jsonl'),
    '/ws/b.parallel.jsonl',
  );
  assert.equal(problemFile({ text: 'x', file: 'rel.jsonl', line: 2 }, '/ws/a.parallel.jsonl'), '/ws/a.parallel.jsonl');
  assert.equal(problemFile({ text: 'x' }, '/ws/a.parallel.jsonl'), '/ws/a.parallel.jsonl');
});
