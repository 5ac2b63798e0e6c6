// `solar data import|validate` and the data checks of `solar train`, run as the built CLI:
// upstream benchmark layouts import, responses can be built from answers, and bad data
// is exit 2 with one line naming file, line and field, writing nothing.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, ROOT, smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

const BENCH = path.join(ROOT, 'test', 'fixtures', 'benchmarks');

function solar(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

function expectExit2(r: ReturnType<typeof solar>, ...fragments: string[]): void {
  assert.equal(r.code, 2, `exit 2 expected:\n${r.stderr}`);
  for (const f of fragments)
    assert.ok(r.stderr.includes(f), `stderr should mention ${JSON.stringify(f)}:\n${r.stderr}`);
}

const readItems = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { langs: Record<string, { response?: string }> });

test('data import reads XCOPA as published (data/<lang>/test.<lang>.jsonl) and COPA with --language', () => {
  const dir = tempDir();
  const out = path.join(dir, 'xcopa.parallel.jsonl');
  const et = path.join(BENCH, 'xcopa', 'data', 'et', 'test.et.jsonl');
  const r = solar(
    ['data', 'import', '--format', 'xcopa', '--out', out, et, path.join(BENCH, 'xcopa', 'data', 'ht', 'test.ht.jsonl')],
    dir,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imported 3 xcopa items in 2 languages \(et, ht\)/);
  const copa = path.join(BENCH, 'xcopa', 'COPA', 'test.jsonl');
  const withEn = solar(['data', 'import', '--format', 'xcopa', '--language', 'en', '--out', out, copa, et], dir);
  assert.equal(withEn.code, 0, withEn.stderr);
  assert.deepEqual(Object.keys(readItems(out)[0].langs), ['en', 'et']);
});

test('data import --responses answer writes responses that solar train accepts', () => {
  const dir = tempDir();
  const out = path.join(dir, 'mgsm.parallel.jsonl');
  const files = ['mgsm_en.tsv', 'mgsm_bn.tsv'].map((f) => path.join(BENCH, 'mgsm', f));
  const bare = solar(['data', 'import', '--format', 'mgsm', '--out', out, ...files], dir);
  assert.equal(bare.code, 0, bare.stderr);
  // Answers only: fine to validate (an eval set), refused as a training set.
  const v = solar(['data', 'validate', out], dir);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /no responses/);
  const config = writeConfig(dir, smallConfig({ data: { train: out }, languages: ['en', 'bn'] }), 'mgsm.solar.json');
  expectExit2(
    solar(['train', config, '--quiet'], dir),
    'field "data.train"',
    'no response tokens in',
    'for the languages trained (en, bn)',
  );
  assert.ok(!fs.existsSync(path.join(dir, '.solar')), 'no run folder');

  const r = solar(['data', 'import', '--format', 'mgsm', '--responses', 'answer', '--out', out, ...files], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    readItems(out).map((it) => it.langs.en.response),
    ['The answer is 7.', 'The answer is 1250.', 'The answer is 5.5.'],
  );
  assert.equal(solar(['data', 'validate', out], dir).code, 0);
  expectExit2(
    solar(['data', 'import', '--format', 'mgsm', '--responses', 'steps', '--out', out, ...files], dir),
    '--responses',
  );
});

test('invalid UTF-8 is exit 2 naming file and line, in import and validate, writing nothing', () => {
  const dir = tempDir();
  const tsv = path.join(dir, 'mgsm_fr.tsv');
  fs.writeFileSync(
    tsv,
    Buffer.concat([
      Buffer.from('Combien font 3 + 4 ?\t7\nUn caf'),
      Buffer.from([0xe9]),
      Buffer.from(' co\u00fbte 2 euros ?\t2\n'),
    ]),
  );
  const out = path.join(dir, 'out.parallel.jsonl');
  expectExit2(solar(['data', 'import', '--format', 'mgsm', '--out', out, tsv], dir), 'mgsm_fr.tsv:2', 'UTF-8');
  assert.ok(!fs.existsSync(out), 'nothing written');

  const jsonl = path.join(dir, 'latin1.parallel.jsonl');
  fs.writeFileSync(
    jsonl,
    Buffer.concat([
      Buffer.from('{"id":"a","answer":"1","langs":{"en":{"prompt":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}}}\n'),
    ]),
  );
  const r = solar(['data', 'validate', jsonl], dir);
  expectExit2(r, 'latin1.parallel.jsonl:1', 'field "langs.en.prompt"', 'UTF-8');
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});
