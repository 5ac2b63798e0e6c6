// How the Runs tree orders and narrows its runs: the sort (newest first, by name, by best
// accuracy) and the filter (states, words) the user picked with the view's title buttons,
// kept in workspaceState (so checked when read back: a stored value may come from an
// older version). vscode-free, so it is unit-tested.
import { RUN_STATES, type RunState } from '../protocol/metrics';
import { keySummary } from '../protocol/runDifferences';
import type { RunInfo } from '../protocol/runInfo';

export const RUN_SORTS = ['newest', 'name', 'accuracy'] as const;
export type RunSort = (typeof RUN_SORTS)[number];

export const SORT_LABELS: Record<RunSort, string> = {
  newest: 'Newest first',
  name: 'Name',
  accuracy: 'Best accuracy',
};

export interface RunsViewState {
  sort: RunSort;
  /** States shown; empty: every state. */
  states: RunState[];
  /** Words every shown run must contain (name, id, state, key config, message); empty: any. */
  text: string;
}

export const DEFAULT_RUNS_VIEW: RunsViewState = { sort: 'newest', states: [], text: '' };

/** A stored state; what is missing or not understood (an older or broken value) takes its default. */
export function loadRunsViewState(raw: unknown): RunsViewState {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof RunsViewState, unknown>>;
  const states = Array.isArray(s.states) ? s.states : [];
  return {
    sort: RUN_SORTS.includes(s.sort as RunSort) ? (s.sort as RunSort) : DEFAULT_RUNS_VIEW.sort,
    states: normaliseStates(states.filter((st): st is RunState => RUN_STATES.includes(st as RunState))),
    text: typeof s.text === 'string' ? s.text : '',
  };
}

/**
 * When a run started, in ms since 1970: status.json's `startedAt`, else the UTC timestamp
 * of its id (`<name>-YYYYMMDD-HHMMSS[-n]`), else 0 (listed last when newest first).
 */
export function runStartTime(r: Pick<RunInfo, 'startedAt' | 'id'>): number {
  const t = r.startedAt ? Date.parse(r.startedAt) : Number.NaN;
  if (Number.isFinite(t)) return t;
  const m = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-\d+)?$/.exec(r.id);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : 0;
}

const newestFirst = (a: RunInfo, b: RunInfo) => runStartTime(b) - runStartTime(a) || b.id.localeCompare(a.id);

const COMPARE: Record<RunSort, (a: RunInfo, b: RunInfo) => number> = {
  newest: newestFirst,
  // Runs of one name (seeds, repeats) stay together, newest first among them.
  name: (a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }) || newestFirst(a, b),
  // Runs without an evaluation yet come last; ties newest first.
  accuracy: (a, b) => (b.bestAccuracy ?? -1) - (a.bestAccuracy ?? -1) || newestFirst(a, b),
};

/** A sorted copy. */
export function sortRuns(runs: readonly RunInfo[], sort: RunSort): RunInfo[] {
  return [...runs].sort(COMPARE[sort]);
}

/** The text a filter's words are looked for in. */
function searchable(r: RunInfo): string {
  return [r.name, r.id, r.state, r.keyConfig ? keySummary(r.keyConfig) : '', r.message ?? ''].join(' ').toLowerCase();
}

export function isFiltered(s: RunsViewState): boolean {
  return s.states.length > 0 || s.text.trim() !== '';
}

/** Whether a run passes the filter: one of the picked states, and every word somewhere in its text. */
export function matchesFilter(r: RunInfo, s: RunsViewState): boolean {
  if (s.states.length && !s.states.includes(r.state)) return false;
  const words = s.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const text = searchable(r);
  return words.every((w) => text.includes(w));
}

/** The runs to show, filtered and sorted. */
export function arrangeRuns(runs: readonly RunInfo[], s: RunsViewState): RunInfo[] {
  return sortRuns(
    runs.filter((r) => matchesFilter(r, s)),
    s.sort,
  );
}

/** A filter's states, normalised: every state ticked means no state filter. */
export function normaliseStates(states: readonly RunState[]): RunState[] {
  const set = new Set(states);
  return set.size >= RUN_STATES.length ? [] : RUN_STATES.filter((st) => set.has(st));
}

/** The tree's message while a filter is on: 'Filter: failed, stopped · "sft" (2 of 5 runs)'. */
export function describeFilter(s: RunsViewState, shown: number, total: number): string | undefined {
  if (!isFiltered(s)) return undefined;
  const parts = [s.states.join(', '), s.text.trim() ? `"${s.text.trim()}"` : ''].filter(Boolean);
  return `Filter: ${parts.join(' · ')} (${shown} of ${total} run${total === 1 ? '' : 's'})`;
}
