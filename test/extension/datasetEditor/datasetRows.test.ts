// The host's rows of a dataset document: a delta is exactly the lines that changed, so the
// page's rows, spliced with it, equal a fresh snapshot of the new text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatasetRows, rowOf } from '../../../extension/datasetEditor/datasetRows';
import { checkLine } from '../../../protocol/datasetCheck';

const item = (id: string, prompt = 'q', extra = '') =>
  `{"id":"${id}","answer":"1","langs":{"en":{"prompt":"${prompt}"}${extra}}}`;

/** Apply a delta to the page's copy, as webview/dataset/gridModel.ts does. */
function follow(lines: string[], next: string[], from: number) {
  const host = new DatasetRows('en');
  const page = host.reset(lines).rows;
  const delta = host.update(next, from);
  if (delta) page.splice(delta.start, delta.deleteCount, ...delta.rows);
  assert.deepEqual(page, new DatasetRows('en').reset(next).rows, 'the page equals a fresh snapshot');
  return delta;
}

test('a one-line edit is a one-row delta; lines around it are not resent', () => {
  const lines = [item('a'), item('b'), item('c'), ''];
  const next = [...lines];
  next[1] = item('b', 'changed');
  const d = follow(lines, next, 1)!;
  assert.deepEqual([d.start, d.deleteCount, d.rows.length], [1, 1, 1]);
});

test('inserted and deleted lines splice; an unchanged document sends nothing', () => {
  const lines = [item('a'), item('b'), item('c'), ''];
  const d = follow(lines, [item('a'), item('x'), item('y'), item('b'), item('c'), ''], 1)!;
  assert.deepEqual([d.start, d.deleteCount, d.rows.length], [1, 0, 2]);
  const del = follow(lines, [item('a'), item('c'), ''], 0)!;
  assert.deepEqual([del.start, del.deleteCount, del.rows.length], [1, 1, 0], 'found past the hint');
  assert.equal(follow(lines, [...lines], 0), null);
  // A whole new file (git checkout) is one splice of everything that differs.
  follow(lines, [item('z'), '{"broken', ''], 0);
});

test('problems across lines come with every delta', () => {
  const host = new DatasetRows('en');
  host.reset([item('a'), item('b')]);
  const d = host.update([item('a'), item('a')], 1)!;
  assert.deepEqual(
    d.fileProblems.map((p) => [p.line, p.code]),
    [[2, 'duplicateId']],
  );
  assert.equal(host.idOf(item('q')), 'q');
  assert.equal(host.idOf('{"id": 7}'), null);
});

test('rows show what a line holds even when it fails the schema; other lines are broken or blank', () => {
  const text = '{"id":"a","answer":7,"langs":{"EN":{"prompt":"q","response":5},"__proto__":{"prompt":"p"}}}';
  const row = rowOf(text, checkLine(text));
  assert.equal(row.kind, 'item');
  if (row.kind !== 'item') return;
  assert.equal(row.answer, null, 'not text');
  assert.deepEqual(row.langs, [
    { lang: 'EN', prompt: 'q' },
    { lang: '__proto__', prompt: 'p' },
  ]);
  assert.ok(row.problems.length > 0);
  assert.deepEqual(rowOf('[1,2]', checkLine('[1,2]')).kind, 'broken');
  assert.deepEqual(rowOf('  ', checkLine('  ')), { kind: 'blank' });
});
