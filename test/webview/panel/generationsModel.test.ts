// What the Generations card shows of a report: column order, the default and picked
// languages, the items each filter keeps (counted against the fixture's rules), paging.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  filterItems,
  isDetailed,
  languageOrder,
  PAGE_SIZE,
  pageOf,
  sameAnswer,
  shownLanguages,
} from '../../../webview/panel/generationsModel';
import { evalReport, expectedItems } from '../../helpers/evalFixture';

const report = evalReport(100);
const ALL = ['en', 'sw', 'te', 'zh'];

test('columns: the pivot first, then low-resource languages, then the rest; picks kept in that order', () => {
  assert.deepEqual(languageOrder(report, 'en', ['zh', 'te']), ['en', 'te', 'zh', 'sw']);
  assert.deepEqual(languageOrder(report, 'sw', []), ['sw', 'en', 'te', 'zh']);
  assert.deepEqual(languageOrder(report, undefined, []), ALL);
  const order = ['en', 'te', 'zh', 'sw', 'yo'];
  assert.deepEqual(shownLanguages(order, null), ['en', 'te', 'zh', 'sw'], 'default: four columns');
  assert.deepEqual(shownLanguages(order, ['sw', 'en', 'xx']), ['en', 'sw']);
  assert.deepEqual(shownLanguages(order, ['xx']), ['en', 'te', 'zh', 'sw'], 'none left: the default');
});

test('filters over the shown languages', () => {
  const want = expectedItems(100);
  assert.equal(filterItems(report, ALL, 'all', 'en').length, 100);
  assert.deepEqual(filterItems(report, ALL, 'wrong', 'en'), want.wrong);
  assert.deepEqual(filterItems(report, ALL, 'disagree', 'en'), want.disagree);
  assert.deepEqual(filterItems(report, ['en', 'te'], 'disagree', 'en'), want.disagreeEnTe);
  // The pivot need not be shown to compare with it; the pivot alone disagrees with nothing.
  assert.deepEqual(
    filterItems(report, ['sw'], 'disagree', 'en'),
    want.disagree.filter((i) => i % 3 === 0),
  );
  assert.deepEqual(filterItems(report, ['en'], 'disagree', 'en'), []);
  assert.deepEqual(
    filterItems(report, ['en'], 'wrong', 'en'),
    want.wrong.filter((i) => i % 5 === 0),
  );
  assert.deepEqual(filterItems(report, ALL, 'disagree', 'yo'), [], 'a pivot not in the report: none');
});

test('answers agree as numbers, else as text; no answer agrees with nothing', () => {
  assert.ok(sameAnswer('7', '7.0'));
  assert.ok(sameAnswer(' B ', 'B'));
  assert.ok(!sameAnswer('7', '8'));
  assert.ok(!sameAnswer(null, null));
  assert.ok(!sameAnswer('', '0'));
});

test('pages of PAGE_SIZE rows, the index clamped', () => {
  const kept = [...Array(45).keys()];
  assert.deepEqual(pageOf(kept, 0), { index: 0, pages: 3, items: kept.slice(0, PAGE_SIZE), from: 1, to: 20 });
  const last = pageOf(kept, 7);
  assert.deepEqual([last.index, last.from, last.to, last.items.length], [2, 41, 45, 5]);
  assert.deepEqual(pageOf([], 3), { index: 0, pages: 1, items: [], from: 0, to: 0 });
});

test('a report with right/wrong marks is detailed; one from an older solar eval is not', () => {
  assert.ok(isDetailed(report));
  assert.ok(!isDetailed({ ...report, outputs: { en: [{ id: 'q1', text: '4' }] } }));
});
