// Every class of bad input gets one clear error (file, line, field, what was expected),
// exit code 2, and nothing half-written. These run the built CLI as a real process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { latestCheckpoint } from '../../../protocol/runFolder';
import { loadCheckpoint } from '../../../trainer/model/checkpoint';
import { CLI, EXAMPLES, smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

function solar(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** Run `solar train` on a config and expect exit 2 with every fragment in stderr, and no run folder. */
function expectTrainError(config: Record<string, unknown> | string, fragments: string[]) {
  const dir = tempDir();
  const file =
    typeof config === 'string' ? path.join(dir, 'bad.solar.json') : writeConfig(dir, config, 'bad.solar.json');
  if (typeof config === 'string') fs.writeFileSync(file, config);
  const r = solar(['train', file, '--quiet'], dir);
  assert.equal(r.code, 2, `exit code 2 expected; stderr: ${r.stderr}`);
  for (const f of fragments)
    assert.ok(r.stderr.includes(f), `stderr should mention ${JSON.stringify(f)}:\n${r.stderr}`);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line of error:\n${r.stderr}`);
  assert.ok(!fs.existsSync(path.join(dir, '.solar')), 'no run folder may be created for a bad config');
}

test('config that is not JSON names the file and line', () => {
  expectTrainError('{\n  "steps": 3,\n  "data": {\n}}}', ['bad.solar.json:4', 'valid JSON']);
});

test('config with an unknown field, a wrong type, or a bad enum names the field', () => {
  expectTrainError(smallConfig({ stepz: 3 }), ['bad.solar.json', 'unknown field', 'stepz']);
  expectTrainError(smallConfig({ steps: 'ten' }), ['field "steps"', 'expected number']);
  expectTrainError(smallConfig({ objective: { lambda: -1 } }), ['field "objective.lambda"']);
  expectTrainError(smallConfig({ backend: 'tpu' }), ['field "backend"']);
  expectTrainError({ steps: 3 }, ['field "data"', 'missing']);
});

test('a dataset path that does not exist names the config field', () => {
  expectTrainError(smallConfig({ data: { train: 'nope/train.parallel.jsonl' } }), [
    'field "data.train"',
    'does not exist',
  ]);
});

test('languages missing from the training set are named', () => {
  expectTrainError(smallConfig({ languages: ['en', 'xx'] }), ['field "languages"', 'missing: xx']);
});

test('malformed dataset lines: bad JSON, missing field, duplicate id — each names file and line', () => {
  const dir = tempDir();
  const good = fs
    .readFileSync(path.join(EXAMPLES, 'data', 'train.parallel.jsonl'), 'utf8')
    .split('\n')
    .slice(0, 3);
  const cases: [string, string[], string[]][] = [
    ['badjson', [good[0], '{"id": "x", oops}', good[1]], ['badjson.parallel.jsonl:2', 'one JSON object per line']],
    [
      'missing',
      [good[0], good[1], '{"id":"m","answer":"3","langs":{"en":{"response":"3"}}}'],
      ['missing.parallel.jsonl:3', 'field "langs.en.prompt"'],
    ],
    ['dup', [good[0], good[0]], ['dup.parallel.jsonl:2', 'field "id"', 'already used on line 1']],
    ['empty', [''], ['empty.parallel.jsonl', 'empty']],
  ];
  for (const [name, lines, fragments] of cases) {
    const file = path.join(dir, `${name}.parallel.jsonl`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const v = solar(['data', 'validate', file], dir);
    assert.equal(v.code, 2, v.stderr);
    for (const f of fragments) assert.ok(v.stderr.includes(f), `${name}: ${f} not in ${v.stderr}`);
    expectTrainError(smallConfig({ data: { train: file }, languages: ['en'] }), fragments);
  }
});

test('bad command lines are usage errors with exit code 2', () => {
  const dir = tempDir();
  for (const args of [['train'], ['train', 'x.solar.json', '--steps', 'abc'], ['frobnicate'], ['data', 'generate']]) {
    const r = solar(args, dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /Usage:/);
  }
  const h = solar(['--help'], dir);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /solar train/);
});

test('resume without a checkpoint, and a half-written or truncated checkpoint, fail clearly', async () => {
  const dir = tempDir();
  const r = solar(['train', '--resume', dir], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /complete checkpoint/);
  // A crash mid-write leaves only a temp folder: it is never taken for a checkpoint.
  fs.mkdirSync(path.join(dir, 'checkpoints', '.step-000005.tmp-123'), { recursive: true });
  assert.equal(latestCheckpoint(dir), null);
  // A truncated model file is reported with its path.
  const ck = path.join(dir, 'checkpoints', 'step-000001');
  fs.mkdirSync(ck, { recursive: true });
  fs.writeFileSync(path.join(ck, 'trainer_state.json'), '{"step": 1}');
  assert.throws(
    () => loadCheckpoint(ck),
    (e: unknown) => e instanceof InputError && /trainer_state\.json/.test(e.message),
  );
});

test('data generate writes a valid file; unknown languages are rejected', () => {
  const dir = tempDir();
  const out = path.join(dir, 'gen.parallel.jsonl');
  const g = solar(['data', 'generate', '--out', out, '--count', '5', '--languages', 'en,sw,te'], dir);
  assert.equal(g.code, 0, g.stderr);
  assert.equal(solar(['data', 'validate', out], dir).code, 0);
  const bad = solar(['data', 'generate', '--out', path.join(dir, 'x.jsonl'), '--languages', 'en,klingon'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /klingon/);
  assert.ok(!fs.existsSync(path.join(dir, 'x.jsonl')));
});
