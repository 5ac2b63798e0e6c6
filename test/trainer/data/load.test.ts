// Loading parallel datasets: every line validated, every error names file, line and field.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { languageCounts, loadParallelJsonl, parseParallelJsonl } from '../../../trainer/data/load';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'solar-load-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const good = '{"id":"a","answer":"7","langs":{"en":{"prompt":"3 + 4?","response":"The answer is 7."}}}';

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

function expectError(fn: () => unknown, loc: { line?: number; field?: string }, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
    assert.equal(e.location.line, loc.line, e.message);
    assert.equal(e.location.field, loc.field, e.message);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

test('invalid UTF-8 is an error naming file, line and field, never replaced silently', () => {
  const enc = new TextEncoder();
  // Line 2's Swahili prompt holds a Latin-1 "é" (0xE9), as a file saved in another encoding would.
  const bad = '{"id":"b","answer":"1","langs":{"en":{"prompt":"q","response":"r"},"sw":{"prompt":"caf';
  const bytes = Buffer.concat([
    enc.encode(`${good}\n${bad}`),
    Buffer.from([0xe9]),
    enc.encode('","response":"r"}}}\n'),
  ]);
  const file = write('latin1.parallel.jsonl', bytes);
  expectError(
    () => loadParallelJsonl(file),
    { line: 2, field: 'langs.sw.prompt' },
    /latin1\.parallel\.jsonl:2/,
    /UTF-8/,
    /0xe9/,
  );
  // A sequence cut short at the end of the file, and a lone continuation byte in a key.
  expectError(
    () =>
      loadParallelJsonl(
        write(
          'cut.parallel.jsonl',
          Buffer.concat([enc.encode(`${good}\n${good.slice(0, 40)}`), Buffer.from([0xe2, 0x82])]),
        ),
      ),
    { line: 2, field: undefined },
    /UTF-8/,
  );
  const inKey = Buffer.concat([
    enc.encode('{"id":"a","answer":"7","langs":{"en":{"prompt":"q"},"s'),
    Buffer.from([0x80]),
    enc.encode('":{"prompt":"q"}}}\n'),
  ]);
  expectError(() => loadParallelJsonl(write('key.parallel.jsonl', inKey)), { line: 1, field: 'langs' }, /UTF-8/);
});

test('a byte-order mark and CRLF line ends are read as the text they frame', () => {
  const file = write('bom.parallel.jsonl', `\uFEFF${good}\r\n${good.replace('"a"', '"b"')}\r\n`);
  assert.deepEqual(
    loadParallelJsonl(file).map((i) => i.id),
    ['a', 'b'],
  );
});

test('a multiple-choice answer must index one of the choices of every language', () => {
  const mc = (answer: string, swChoices = '["x","y","z"]') =>
    `{"id":"m","answer":"${answer}","langs":{"en":{"prompt":"p","choices":["a","b","c"]},"sw":{"prompt":"p","choices":${swChoices}}}}`;
  assert.equal(parseParallelJsonl(mc('2'), 'f').length, 1);
  expectError(
    () => parseParallelJsonl(`${good}\n${mc('3')}`, 'f'),
    { line: 2, field: 'answer' },
    /choice index/,
    /got "3"/,
  );
  expectError(() => parseParallelJsonl(mc('2', '["x","y"]'), 'f'), { line: 1, field: 'answer' }, /langs\.sw\.choices/);
  expectError(() => parseParallelJsonl(mc('-1'), 'f'), { line: 1, field: 'answer' }, /choice index/);
  // Evaluation compares the chosen index as text, so "01" could never be scored right.
  expectError(() => parseParallelJsonl(mc('01'), 'f'), { line: 1, field: 'answer' }, /choice index/);
});

test('a "__proto__" language key is refused by name instead of vanishing', () => {
  const proto =
    '{"id":"p","answer":"1","langs":{"en":{"prompt":"q","response":"r"},"__proto__":{"prompt":"q","response":"r"}}}';
  expectError(
    () => parseParallelJsonl(`${good}\n${proto}`, 'f'),
    { line: 2, field: 'langs.__proto__' },
    /language code/,
  );
  const only = '{"id":"p","answer":"1","langs":{"__proto__":{"prompt":"q"}}}';
  expectError(() => parseParallelJsonl(only, 'f'), { line: 1, field: 'langs.__proto__' });
  // Elsewhere the strict objects already name it as an unknown field.
  assert.throws(
    () => parseParallelJsonl('{"id":"p","answer":"1","__proto__":{},"langs":{"en":{"prompt":"q"}}}', 'f'),
    /unknown field.*__proto__/,
  );
  assert.throws(
    () => parseParallelJsonl('{"id":"p","answer":"1","langs":{"en":{"prompt":"q","__proto__":{}}}}', 'f'),
    /unknown field.*__proto__/,
  );
});

test('languageCounts: items and responses per language', () => {
  const items = parseParallelJsonl(
    `${good}\n{"id":"b","answer":"1","langs":{"en":{"prompt":"q"},"sw":{"prompt":"q","response":"r"}}}`,
    'f',
  );
  assert.deepEqual(Object.fromEntries(languageCounts(items)), {
    en: { items: 2, responses: 1 },
    sw: { items: 1, responses: 1 },
  });
});
