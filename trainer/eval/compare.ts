// `solar compare RUN...`: runs side by side, as in the paper's tables. Runs whose configs
// differ only in `seed` form one group, reported as mean ± sample std over seeds, because
// at demo scale the SOLAR-vs-SFT difference is inside seed noise (DESIGN §7): a delta is
// only shown with its spread and the number of seeds behind it.
import type { EvalEvent } from '../../protocol/metrics';
import { type RunContents, readRunContents } from '../../protocol/runFolder';

export interface Stat {
  mean: number;
  std: number;
  n: number;
}

export interface GroupSummary {
  label: string;
  runs: string[];
  pivot: string;
  lowResource: string[];
  accuracy: Record<string, Stat>; // per language, plus "mean" and "low-resource"
  similarity: Record<string, Stat>; // pivot vs language, final hidden states
  silhouette?: Stat;
  probeAccuracy?: Stat;
  consistency: Record<string, Stat>;
}

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
  for (const k of keys) out[k] = stat(evals.flatMap((e) => (pick(e)?.[k] !== undefined ? [pick(e)![k]] : [])));
  return out;
}

function summarise(label: string, runs: RunContents[], evals: EvalEvent[]): GroupSummary {
  const { pivot, lowResource } = runs[0].config;
  const simRow = (e: EvalEvent) => {
    if (!e.similarity) return undefined;
    const p = e.similarity.languages.indexOf(pivot);
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
    runs: runs.map((r) => r.dir),
    pivot,
    lowResource,
    accuracy,
    similarity: collect(evals, simRow),
    consistency: collect(evals, (e) => e.consistency),
    ...(seps.length
      ? { silhouette: stat(seps.map((s) => s.silhouette)), probeAccuracy: stat(seps.map((s) => s.probeAccuracy)) }
      : {}),
  };
}

/** Group runs by config-without-seed; the first group's step-0 evals become a "base" group. */
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

/** `warn` hears about invalid metric lines that were skipped (one line per run). */
export function compareRuns(dirs: string[], warn: (line: string) => void = () => {}): GroupSummary[] {
  const runs = dirs.map(readRunContents);
  for (const r of runs) {
    if (r.problems.length)
      warn(`skipped ${r.problems.length} invalid line(s) of metrics.jsonl; the first: ${r.problems[0].message}`);
  }
  const groups = new Map<string, RunContents[]>();
  for (const r of runs) groups.set(signature(r), [...(groups.get(signature(r)) ?? []), r]);
  const out: GroupSummary[] = [];
  const first = [...groups.values()][0];
  const bases = first.flatMap((r) => (baseEval(r) ? [baseEval(r)!] : []));
  if (bases.length) out.push(summarise('base (step 0)', first, bases));
  const names = new Map<string, number>();
  for (const rs of groups.values()) {
    const name = rs[0].config.name ?? 'run';
    const k = (names.get(name) ?? 0) + 1;
    names.set(name, k);
    const finals = rs.flatMap((r) => (finalEval(r) ? [finalEval(r)!] : []));
    out.push(summarise(k > 1 ? `${name}#${k}` : name, rs, finals));
  }
  return out;
}

const fmt = (s: Stat | undefined, scale = 100, digits = 1) =>
  s === undefined
    ? '-'
    : s.n > 1
      ? `${(s.mean * scale).toFixed(digits)}±${(s.std * scale).toFixed(digits)}`
      : (s.mean * scale).toFixed(digits);

/** Plain-text tables: accuracy (%), deltas vs the first trained group, similarity, separability. */
export function formatComparison(groups: GroupSummary[]): string {
  const cols = groups.map((g) => `${g.label} (n=${Object.values(g.accuracy)[0]?.n ?? 0})`);
  const width = Math.max(14, ...cols.map((c) => c.length + 2));
  const row = (name: string, cells: string[]) => name.padEnd(14) + cells.map((c) => c.padStart(width)).join('');
  const langs = [...new Set(groups.flatMap((g) => Object.keys(g.accuracy)))];
  const lines = ['accuracy (%), mean±std over seeds', row('', cols)];
  for (const l of langs)
    lines.push(
      row(
        l + (groups[0]?.lowResource.includes(l) ? '*' : ''),
        groups.map((g) => fmt(g.accuracy[l])),
      ),
    );
  const ref = groups.find((g) => !g.label.startsWith('base')) ?? groups[0];
  if (groups.length > 1) {
    lines.push('', `delta vs ${ref.label} (points; ± combines both spreads; ±? = a single seed, spread unknown)`);
    for (const l of langs) {
      lines.push(
        row(
          l,
          groups.map((g) => {
            const a = g.accuracy[l];
            const b = ref.accuracy[l];
            if (!a || !b || g === ref) return '-';
            const d = (a.mean - b.mean) * 100;
            const spread = a.n > 1 && b.n > 1 ? (Math.sqrt(a.std ** 2 + b.std ** 2) * 100).toFixed(1) : '?';
            return `${d >= 0 ? '+' : ''}${d.toFixed(1)}±${spread}`;
          }),
        ),
      );
    }
  }
  const simLangs = [...new Set(groups.flatMap((g) => Object.keys(g.similarity)))];
  lines.push('', `similarity to ${groups[0]?.pivot ?? 'pivot'} (cosine of final hidden states)`);
  for (const l of simLangs)
    lines.push(
      row(
        l,
        groups.map((g) => fmt(g.similarity[l], 1, 3)),
      ),
    );
  lines.push('', 'separability (lower = more language-agnostic)');
  lines.push(
    row(
      'silhouette',
      groups.map((g) => fmt(g.silhouette, 1, 3)),
    ),
  );
  lines.push(
    row(
      'probe acc %',
      groups.map((g) => fmt(g.probeAccuracy)),
    ),
  );
  return lines.join('\n');
}
