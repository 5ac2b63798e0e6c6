// `solar data validate` as the built CLI: the shared dataset checks' warnings are listed
// with file, line and field and do not change the exit code; errors still exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, tempDir } from '../../helpers/helpers';

function validate(file: string) {
  const r = spawnSync(process.execPath, [CLI, 'data', 'validate', file], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const item = (id: string, te: { prompt: string; response: string }, answer = '7') =>
  JSON.stringify({
    id,
    answer,
    langs: { en: { prompt: 'Tom has 3 apples and buys 4 more. How many?', response: 'The answer is 7.' }, te },
  });

test('warnings are listed with file, line and field; the exit code stays 0', () => {
  const file = path.join(tempDir(), 'warn.parallel.jsonl');
  const lines = [
    item('a', { prompt: 'టామ్ వద్ద 3 ఆపిల్స్ ఉన్నాయి, 4 కొన్నాడు.', response: 'సమాధానం 7.' }),
    item('b', { prompt: 'Tom has 3 apples and buys 4 more. How many?', response: 'సమాధానం 8.' }),
  ];
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const r = validate(file);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2 items ok \(en 2, te 2\)/);
  assert.match(r.stdout, /2 warnings:/);
  assert.ok(r.stdout.includes(`${file}:2 (field "langs.te.prompt"): text in the Telugu script`), r.stdout);
  assert.ok(r.stdout.includes(`${file}:2 (field "langs.te.response"): a response ending in the answer 7`), r.stdout);
  assert.ok(!r.stdout.includes(`${file}:1`), 'the clean line has none');
});

test('an error is still exit 2 with one line naming file, line and field, before any warning', () => {
  const file = path.join(tempDir(), 'err.parallel.jsonl');
  fs.writeFileSync(
    file,
    `${item('a', { prompt: 'What?', response: '8' })}\n{"id":"b","answer":"1","langs":{"en":{"prompt":""}}}\n`,
  );
  const r = validate(file);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /err\.parallel\.jsonl:2 \(field "langs\.en\.prompt"\)/);
  assert.equal(r.stdout, '');
});
