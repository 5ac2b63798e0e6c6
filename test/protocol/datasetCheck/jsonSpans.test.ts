// The JSON scanner behind every span the dataset checks and line edits use: it must accept
// exactly what JSON.parse accepts (checked on thousands of seeded mutations of real-shaped
// lines) and its spans must hold exactly the values JSON.parse reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type JsonNode, memberAt, scanJson, spanAt } from '../../../protocol/datasetCheck/jsonSpans';

const SAMPLES = [
  '{"id":"syn-000001","answer":"140","langs":{"en":{"prompt":"Lucy has 14 boxes.","response":"14 * 10 = 140."}}}',
  '{"id": "a\\"b", "answer": "7", "langs": {"zh": {"prompt": "刘丽有14个盒子\\n？", "choices": ["x", "y\\u00e9"]}}}',
  ' {"n":-12.5e+3,"t":true,"f":false,"z":null,"a":[1,[2,{}],[]],"e":"\\\\/\\b\\f\\r\\t"} ',
];
const ALPHABET = '{}[]",:\\ a1-.eE+0u\u00e9\t';

/** A small seeded generator (mulberry32): the same mutations on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text.trim());
    return true;
  } catch {
    return false;
  }
}

/** Every string node and member key in the tree holds what JSON.parse reads there. */
function checkSpans(text: string, node: JsonNode): void {
  if (node.kind === 'string') assert.equal(typeof JSON.parse(text.slice(node.start, node.end)), 'string');
  else if (node.kind === 'object')
    for (const m of node.members) {
      assert.equal(JSON.parse(text.slice(m.keyStart, m.keyEnd)), m.key);
      checkSpans(text, m.value);
    }
  else if (node.kind === 'array') for (const n of node.items) checkSpans(text, n);
  else JSON.parse(text.slice(node.start, node.end));
}

test('scanJson accepts exactly what JSON.parse accepts, on seeded mutations of dataset lines', () => {
  const rand = rng(7);
  let accepted = 0;
  for (let n = 0; n < 6000; n++) {
    let text = SAMPLES[n % SAMPLES.length];
    for (let k = 1 + Math.floor(rand() * 2); k > 0; k--) {
      const at = Math.floor(rand() * text.length);
      const ch = ALPHABET[Math.floor(rand() * ALPHABET.length)];
      const op = rand();
      text =
        op < 0.4
          ? text.slice(0, at) + text.slice(at + 1)
          : op < 0.7
            ? text.slice(0, at) + ch + text.slice(at)
            : text.slice(0, at) + ch + text.slice(at + 1);
    }
    const scan = scanJson(text);
    assert.equal(scan.ok, parses(text), `scanJson and JSON.parse disagree on ${JSON.stringify(text)}`);
    if (scan.ok) {
      accepted++;
      checkSpans(text, scan.root);
    } else assert.ok(scan.at >= 0 && scan.at <= text.length);
  }
  assert.ok(accepted > 300 && accepted < 5700, `both outcomes exercised (${accepted} accepted)`);
});

test('memberAt and spanAt find values, keys and the nearest existing parent', () => {
  const text = SAMPLES[1];
  const scan = scanJson(text);
  assert.ok(scan.ok);
  const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);
  assert.equal(slice(spanAt(scan.root, ['id'])), '"a\\"b"');
  assert.equal(slice(spanAt(scan.root, ['langs', 'zh', 'choices', '1'])), '"y\\u00e9"');
  assert.equal(slice(spanAt(scan.root, ['langs', 'zh', 'response'])), '"zh"', 'missing: the parent key');
  assert.equal(slice(spanAt(scan.root, ['langs', 'zh'], true)), '"zh"', 'the key itself');
  assert.equal(memberAt(scan.root, ['langs', 'sw']), undefined);
  // Duplicate keys: JSON.parse keeps the last, and so does memberAt.
  const dup = scanJson('{"a":"1","a":"2"}');
  assert.ok(dup.ok);
  assert.equal(memberAt(dup.root, ['a'])!.node.start, 13);
});

test('a trailing comma is reported with the comma, other errors with where they stop', () => {
  assert.deepEqual(scanJson('{"a":[1,2,],"b":1}'), { ok: false, at: 10, trailingComma: 9 });
  assert.deepEqual(scanJson('{"a":1,}'), { ok: false, at: 7, trailingComma: 6 });
  assert.deepEqual(scanJson('{"a":1} x'), { ok: false, at: 8 });
  assert.deepEqual(scanJson('{"a":"x'), { ok: false, at: 7 });
  assert.equal(scanJson(`${'['.repeat(5000)}${']'.repeat(5000)}`).ok, false, 'deep nesting stops, never overflows');
});
