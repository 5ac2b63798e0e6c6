// The host <-> Compare panel contract: a snapshot carries a whole CompareReport and is
// refused when the report is malformed; the page may send only ready, refresh and
// openMetrics; what it keeps for a restore must name at least one run folder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompareHostToWebview, CompareRestoreState, CompareWebviewToHost } from '../../protocol/compareMessages';
import type { CompareReport } from '../../protocol/compareReport';

const stat = { mean: 0.5, std: 0.1, n: 2 };
const group = {
  label: 'solar',
  differences: ['λ 0.5'],
  runs: ['/r/a'],
  members: [
    { dir: '/r/a', id: 'a', seed: 0, state: 'completed', step: 2, totalSteps: 2, evalStep: 2, unfinished: false },
  ],
  pivot: 'en',
  lowResource: [],
  accuracy: { en: stat },
  similarity: {},
  consistency: {},
  curves: { loss: [{ step: 1, mean: 2, std: 0, n: 1 }], ce: [], accuracy: [] },
};
const report = { base: null, groups: [group], reference: 'solar', languages: ['en'], deltas: [] } as CompareReport;

test('a snapshot with a valid report and progress messages validate', () => {
  assert.equal(CompareHostToWebview.safeParse({ type: 'snapshot', report, comparedAt: 'now' }).success, true);
  assert.equal(CompareHostToWebview.safeParse({ type: 'progress', state: 'failed', message: 'x' }).success, true);
});

test('malformed host messages are refused', () => {
  const bad = [
    { type: 'snapshot', report: { ...report, groups: [] }, comparedAt: 'now' },
    { type: 'snapshot', report: { ...report, groups: [{ ...group, members: [{ dir: '/r/a' }] }] }, comparedAt: 'now' },
    { type: 'snapshot', report },
    { type: 'progress', state: 'stuck' },
    { type: 'events', events: [] },
  ];
  for (const m of bad) assert.equal(CompareHostToWebview.safeParse(m).success, false, JSON.stringify(m));
});

test('webview -> host: ready, refresh, openMetrics with a folder; restore state names folders', () => {
  for (const m of [{ type: 'ready' }, { type: 'refresh' }, { type: 'openMetrics', runDir: '/r/a' }])
    assert.equal(CompareWebviewToHost.safeParse(m).success, true);
  for (const m of [{ type: 'openMetrics' }, { type: 'command', command: 'solar.deleteRun', runDir: '/r/a' }])
    assert.equal(CompareWebviewToHost.safeParse(m).success, false);
  assert.equal(CompareRestoreState.safeParse({ dirs: ['/r/a'], hidden: [] }).success, true);
  assert.equal(CompareRestoreState.safeParse({ dirs: [] }).success, false);
  assert.equal(CompareRestoreState.safeParse(undefined).success, false);
});
