// `solar compare RUN...`: runs side by side, as in the paper's tables. Runs whose configs
// differ only in `seed` form one group, reported as mean ± sample std over seeds, because
// at demo scale the SOLAR-vs-SFT difference is inside seed noise (DESIGN §7): a delta is
// only shown with its spread, and marked when the spread covers it. The result is the
// CompareReport of protocol/compareReport.ts (what `--json` prints and the panel draws).
import * as path from 'node:path';
import {
  accuracyDelta,
  type CompareGroup,
  type CompareMember,
  type CompareReport,
  type GroupDeltas,
  type Stat,
} from '../../protocol/compareReport';
import type { EvalEvent } from '../../protocol/metrics';
import { keyConfigOf, keyDifferences } from '../../protocol/runDifferences';
import { type RunContents, readRunContents } from '../../protocol/runFolder';
import { groupCurves } from './compareCurves';

export const BASE_LABEL = 'base (step 0)';

export function stat(xs: number[]): Stat {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(n, 1);
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** Config identity without the seed (and without the run name of a single file). */
function signature(r: RunContents): string {
  const { seed: _seed, $schema: _schema, ...rest } = r.config;
  return JSON.stringify(rest);
}

function collect(evals: EvalEvent[], pick: (e: EvalEvent) => Record<string, number> | undefined): Record<string, Stat> {
  const keys = new Set(evals.flatMap((e) => Object.keys(pick(e) ?? {})));
  const out: Record<string, Stat> = {};
  for (const k of keys) {
    // A figure that could not be computed (NaN) is left out, not averaged in.
    const xs = evals.flatMap((e) => (Number.isFinite(pick(e)?.[k]) ? [pick(e)![k]] : []));
    if (xs.length) out[k] = stat(xs);
  }
  return out;
}

/** The eval event with the highest step (the final evaluation), or null. */
export function finalEval(run: RunContents): EvalEvent | null {
  let best: EvalEvent | null = null;
  for (const e of run.events) if (e.kind === 'eval' && (!best || e.step >= best.step)) best = e;
  return best;
}

/** The step-0 evaluation: the base model before any training. */
export function baseEval(run: RunContents): EvalEvent | null {
  return (run.events.find((e) => e.kind === 'eval' && e.step === 0) as EvalEvent | undefined) ?? null;
}

function member(r: RunContents, e: EvalEvent | null): CompareMember {
  const lastStep = r.events.reduce((m, e) => (e.kind === 'train' ? Math.max(m, e.step) : m), 0);
  return {
    dir: r.dir,
    id: path.basename(r.dir),
    seed: r.config.seed,
    state: r.status?.state ?? null,
    step: r.status?.step ?? lastStep,
    totalSteps: r.status?.totalSteps ?? r.config.steps,
    evalStep: e?.step ?? null,
    unfinished: r.status?.state !== 'completed',
  };
}

/** One group's figures from one eval event per run (its final one, or step 0 for the base). */
function summarise(
  label: string,
  runs: RunContents[],
  pickEval: (r: RunContents) => EvalEvent | null,
  withCurves: boolean,
): CompareGroup {
  const { pivot, lowResource } = runs[0].config;
  const picked = runs.map(pickEval);
  const evals = picked.filter((e): e is EvalEvent => e !== null);
  const simRow = (e: EvalEvent) => {
    if (!e.similarity) return undefined;
    const p = e.similarity.languages.indexOf(pivot);
    if (p < 0) return undefined;
    return Object.fromEntries(
      e.similarity.languages.map((l, i) => [l, e.similarity!.matrix[p][i]]).filter(([l]) => l !== pivot),
    );
  };
  const accuracy = collect(evals, (e) => ({
    ...e.accuracy,
    ...(e.accuracyMean !== undefined ? { mean: e.accuracyMean } : {}),
    ...(e.accuracyLowResource !== undefined ? { 'low-resource': e.accuracyLowResource } : {}),
  }));
  const seps = evals.flatMap((e) => (e.separability ? [e.separability] : []));
  return {
    label,
    differences: [],
    runs: runs.map((r) => r.dir),
    members: runs.map((r, i) => member(r, picked[i])),
    pivot,
    lowResource,
    accuracy,
    similarity: collect(evals, simRow),
    consistency: collect(evals, (e) => e.consistency),
    ...(seps.length
      ? { silhouette: stat(seps.map((s) => s.silhouette)), probeAccuracy: stat(seps.map((s) => s.probeAccuracy)) }
      : {}),
    curves: withCurves ? groupCurves(runs) : { loss: [], ce: [], accuracy: [] },
  };
}

function deltasAgainst(ref: CompareGroup, g: CompareGroup): GroupDeltas {
  const accuracy: GroupDeltas['accuracy'] = {};
  for (const [k, a] of Object.entries(g.accuracy)) if (ref.accuracy[k]) accuracy[k] = accuracyDelta(a, ref.accuracy[k]);
  return { label: g.label, accuracy };
}

/**
 * Group runs (already read) by config-without-seed, in the order given; the first group's
 * step-0 evals become the base model, and deltas are against the first trained group.
 */
export function buildReport(runs: RunContents[]): CompareReport {
  if (!runs.length) throw new Error('compare needs at least one run');
  const bySignature = new Map<string, RunContents[]>();
  for (const r of runs) bySignature.set(signature(r), [...(bySignature.get(signature(r)) ?? []), r]);
  const sets = [...bySignature.values()];
  const names = new Map<string, number>();
  const differences = keyDifferences(
    sets.map((rs) => keyConfigOf(rs[0].config)),
    { ignore: ['seed'] },
  );
  const groups = sets.map((rs, i) => {
    const name = rs[0].config.name ?? 'run';
    const k = (names.get(name) ?? 0) + 1;
    names.set(name, k);
    const g = summarise(k > 1 ? `${name}#${k}` : name, rs, finalEval, true);
    g.differences = differences[i];
    return g;
  });
  const first = sets[0];
  const base = first.some((r) => baseEval(r)) ? summarise(BASE_LABEL, first, baseEval, false) : null;
  const ref = groups[0];
  const all = [...(base ? [base] : []), ...groups];
  return {
    base,
    groups,
    reference: ref.label,
    languages: [...new Set(all.flatMap((g) => Object.keys(g.accuracy)))],
    deltas: all.filter((g) => g !== ref).map((g) => deltasAgainst(ref, g)),
  };
}

/** `warn` hears about invalid metric lines that were skipped (one line per run). */
export function compareRuns(dirs: string[], warn: (line: string) => void = () => {}): CompareReport {
  const runs = dirs.map(readRunContents);
  for (const r of runs) {
    if (r.problems.length)
      warn(`skipped ${r.problems.length} invalid line(s) of metrics.jsonl; the first: ${r.problems[0].message}`);
  }
  return buildReport(runs);
}
