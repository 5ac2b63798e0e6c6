// The Runs tree's sort and filter: newest first by start time (or the id's timestamp),
// by name, by best accuracy (unevaluated runs last); a filter by states and by words in a
// run's name, id, state, key config and message; a stored state read back safely.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  arrangeRuns,
  DEFAULT_RUNS_VIEW,
  describeFilter,
  isFiltered,
  loadRunsViewState,
  matchesFilter,
  normaliseStates,
  type RunsViewState,
  runStartTime,
  sortRuns,
} from '../../extension/runsOrder';
import { RunConfig } from '../../protocol/runConfig';
import { keyConfigOf } from '../../protocol/runDifferences';
import type { RunInfo } from '../../protocol/runInfo';

function run(id: string, o: Partial<RunInfo> = {}): RunInfo {
  return {
    id,
    name: id.replace(/-\d{8}-\d{6}(-\d+)?$/, ''),
    dir: `/ws/.solar/runs/${id}`,
    state: 'completed',
    step: 10,
    totalSteps: 10,
    checkpoints: [],
    resumable: false,
    ...o,
  };
}

const view = (o: Partial<RunsViewState>): RunsViewState => ({ ...DEFAULT_RUNS_VIEW, ...o });
const ids = (runs: RunInfo[]) => runs.map((r) => r.id);

const solar = run('solar-20250103-100000', {
  startedAt: '2025-01-03T10:00:00.000Z',
  bestAccuracy: 0.2,
  keyConfig: keyConfigOf(RunConfig.parse({ data: { train: '/ws/data/train.parallel.jsonl' } })),
});
const sft = run('sft-20250102-100000', {
  startedAt: '2025-01-02T10:00:00.000Z',
  bestAccuracy: 0.3,
  state: 'stopped',
  keyConfig: keyConfigOf(
    RunConfig.parse({
      data: { train: '/ws/data/other.parallel.jsonl' },
      objective: { lambda: 0 },
      model: { preset: 'small' },
    }),
  ),
});
// No status.json yet: its start time is the id's UTC timestamp; no accuracy.
const fresh = run('Alpha-20250104-090000', { state: 'running', step: 2 });
const broken = run('beta-20250101-000000', { state: 'failed', message: 'ENOSPC: no space left on device' });
const all = [broken, sft, fresh, solar];

test('a run starts at status.json startedAt, else at the timestamp in its id, else never', () => {
  assert.equal(runStartTime(solar), Date.parse('2025-01-03T10:00:00Z'));
  assert.equal(runStartTime(fresh), Date.parse('2025-01-04T09:00:00Z'));
  assert.equal(runStartTime(run('x-20250104-090000-2')), Date.parse('2025-01-04T09:00:00Z'));
  assert.equal(runStartTime(run('x-20250104-090000', { startedAt: 'not a date' })), Date.parse('2025-01-04T09:00:00Z'));
  assert.equal(runStartTime(run('hand-made')), 0);
});

test('sorts: newest first (the default), by name (natural, case-insensitive), by best accuracy', () => {
  assert.deepEqual(ids(sortRuns(all, 'newest')), [fresh.id, solar.id, sft.id, broken.id]);
  assert.deepEqual(ids(sortRuns(all, 'name')), [fresh.id, broken.id, sft.id, solar.id]);
  // Unevaluated runs last, newest first among them.
  assert.deepEqual(ids(sortRuns(all, 'accuracy')), [sft.id, solar.id, fresh.id, broken.id]);
  assert.deepEqual(ids(all), [broken.id, sft.id, fresh.id, solar.id], 'the input is not reordered');
  // Same name: newest first; numbers in names in numeric order.
  const seeds = [
    run('s-20250101-000000'),
    run('s-20250102-000000'),
    run('s10-20250101-000000'),
    run('s9-20250101-000000'),
  ];
  assert.deepEqual(ids(sortRuns(seeds, 'name')), [
    's-20250102-000000',
    's-20250101-000000',
    's9-20250101-000000',
    's10-20250101-000000',
  ]);
});

test('filters by state and by every word, in name, id, state, key config or message', () => {
  assert.ok(!isFiltered(DEFAULT_RUNS_VIEW));
  assert.deepEqual(ids(arrangeRuns(all, DEFAULT_RUNS_VIEW)), [fresh.id, solar.id, sft.id, broken.id]);
  assert.deepEqual(ids(arrangeRuns(all, view({ states: ['failed', 'stopped'] }))), [sft.id, broken.id]);
  // Key config: "λ 0" is SFT's lambda; "small" its model; words are ANDed, case-insensitive.
  assert.deepEqual(ids(arrangeRuns(all, view({ text: 'λ 0 ' }))), [solar.id, sft.id], '"λ 0" is in "λ 0.5" too');
  assert.deepEqual(ids(arrangeRuns(all, view({ text: 'SMALL other.parallel' }))), [sft.id]);
  assert.deepEqual(ids(arrangeRuns(all, view({ text: 'small train.parallel' }))), []);
  assert.deepEqual(ids(arrangeRuns(all, view({ text: 'enospc' }))), [broken.id], 'the message');
  assert.deepEqual(ids(arrangeRuns(all, view({ text: '20250104' }))), [fresh.id], 'the id');
  assert.ok(matchesFilter(sft, view({ states: ['stopped'], text: 'sft' })));
  assert.ok(!matchesFilter(sft, view({ states: ['completed'], text: 'sft' })), 'both must hold');
  assert.deepEqual(ids(arrangeRuns(all, view({ sort: 'accuracy', states: ['completed', 'stopped'] }))), [
    sft.id,
    solar.id,
  ]);
});

test('the filter is described while it is on', () => {
  assert.equal(describeFilter(DEFAULT_RUNS_VIEW, 4, 4), undefined);
  assert.equal(describeFilter(view({ text: '  ' }), 4, 4), undefined, 'blank text is no filter');
  assert.equal(
    describeFilter(view({ states: ['failed', 'stopped'], text: ' sft ' }), 1, 4),
    'Filter: failed, stopped · "sft" (1 of 4 runs)',
  );
  assert.equal(describeFilter(view({ states: ['failed'] }), 0, 1), 'Filter: failed (0 of 1 run)');
});

test('every state ticked is no state filter; states keep their display order', () => {
  assert.deepEqual(normaliseStates(['failed', 'running']), ['running', 'failed']);
  assert.deepEqual(normaliseStates(['starting', 'running', 'completed', 'stopped', 'failed']), []);
  assert.deepEqual(normaliseStates([]), []);
});

test('a stored state is read back; anything not understood takes its default', () => {
  const stored = { sort: 'accuracy', states: ['stopped'], text: 'sft' };
  assert.deepEqual(loadRunsViewState(JSON.parse(JSON.stringify(stored))), stored);
  assert.deepEqual(loadRunsViewState(undefined), DEFAULT_RUNS_VIEW);
  assert.deepEqual(loadRunsViewState('newest'), DEFAULT_RUNS_VIEW);
  assert.deepEqual(loadRunsViewState({ sort: 'size', states: ['paused', 'failed', 3], text: 7 }), {
    sort: 'newest',
    states: ['failed'],
    text: '',
  });
});
