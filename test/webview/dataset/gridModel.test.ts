// The grid's model without a DOM: deltas splice rows, problems map to cells, coverage,
// language order and the filters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatasetRows } from '../../../extension/datasetEditor/datasetRows';
import { cellOf, GridModel } from '../../../webview/dataset/gridModel';

const item = (id: string, langs: Record<string, string>) =>
  JSON.stringify({
    id,
    answer: '1',
    langs: Object.fromEntries(Object.entries(langs).map(([l, p]) => [l, { prompt: p }])),
  });

function model(lines: string[]): GridModel {
  const m = new GridModel();
  const { rows, fileProblems } = new DatasetRows('en').reset(lines);
  m.apply({ type: 'snapshot', file: 'f.parallel.jsonl', pivot: 'en', rows, fileProblems });
  return m;
}

const LINES = [
  item('a', { en: 'Apples', sw: 'Tufaha' }),
  item('b', { sw: 'Ndizi', yo: 'Ogede' }),
  '',
  '{"broken',
  item('a', { en: 'Pears' }),
];

test("coverage, languages (pivot, then the user's order, then the rest) and problems per row", () => {
  const m = model(LINES);
  assert.equal(m.itemCount, 3);
  assert.equal(m.unreadableCount, 1);
  assert.deepEqual(Object.fromEntries(m.coverage()), { en: 2, sw: 2, yo: 1 });
  assert.deepEqual(m.languages([], []), ['en', 'sw', 'yo']);
  assert.deepEqual(m.languages(['ar'], ['yo']), ['en', 'yo', 'ar', 'sw']);
  assert.deepEqual(
    m.problems(4).map((p) => p.code),
    ['duplicateId'],
  );
  assert.deepEqual(
    m.problems(1).map((p) => p.code),
    ['missingPivot'],
  );
});

test('filters: text (id or any language), missing in a language, problems only; blank lines never', () => {
  const m = model(LINES);
  const f = (text: string, missing: string | null = null, problemsOnly = false) =>
    m.filter({ text, missing, problemsOnly });
  assert.deepEqual(f(''), [0, 1, 3, 4]);
  assert.deepEqual(f('OGEDE'), [1]);
  assert.deepEqual(f('a'), [0, 4]);
  assert.deepEqual(f('', 'en'), [1], 'a broken line is not an item missing a language');
  assert.deepEqual(f('', null, true), [1, 3, 4]);
});

test('a delta splices rows and keeps the others as they were (the view reuses them)', () => {
  const m = model(LINES);
  const first = m.rows[0];
  const next = [...LINES];
  next[3] = item('c', { en: 'Fixed' });
  const { rows, fileProblems } = new DatasetRows('en').reset(next);
  m.apply({ type: 'rows', start: 3, deleteCount: 1, rows: [rows[3]], fileProblems });
  assert.equal(m.rows[0], first);
  assert.equal(m.unreadableCount, 0);
  assert.equal(m.rows[3].kind, 'item');
});

test("a problem's field names its cell; choices belong to the prompt", () => {
  assert.equal(cellOf({ field: 'langs.sw.response' }), 'response:sw');
  assert.equal(cellOf({ field: 'langs.zh-Hant.choices.2' }), 'prompt:zh-Hant');
  assert.equal(cellOf({ field: 'langs.sw' }), 'prompt:sw');
  assert.equal(cellOf({ field: 'answer' }), 'answer');
  assert.equal(cellOf({ field: 'langs' }), 'langs');
  assert.equal(cellOf({}), null);
});
