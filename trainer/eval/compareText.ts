// `solar compare` without --json: the CompareReport as plain-text tables (accuracy in %,
// deltas against the first trained group with their spread, similarity, separability),
// and a note naming runs that did not complete, whose figures come from an earlier step.
import type { CompareGroup, CompareReport, Stat } from '../../protocol/compareReport';

const fmt = (s: Stat | undefined, scale = 100, digits = 1) =>
  s === undefined
    ? '-'
    : s.n > 1
      ? `${(s.mean * scale).toFixed(digits)}±${(s.std * scale).toFixed(digits)}`
      : (s.mean * scale).toFixed(digits);

export function formatComparison(report: CompareReport): string {
  const groups: CompareGroup[] = [...(report.base ? [report.base] : []), ...report.groups];
  const cols = groups.map((g) => `${g.label} (n=${Object.values(g.accuracy)[0]?.n ?? 0})`);
  const width = Math.max(14, ...cols.map((c) => c.length + 2));
  const row = (name: string, cells: string[]) => name.padEnd(14) + cells.map((c) => c.padStart(width)).join('');
  const langs = report.languages;
  const lines = ['accuracy (%), mean±std over seeds', row('', cols)];
  for (const l of langs)
    lines.push(
      row(
        l + (groups[0]?.lowResource.includes(l) ? '*' : ''),
        groups.map((g) => fmt(g.accuracy[l])),
      ),
    );
  if (groups.length > 1) {
    const deltas = new Map(report.deltas.map((d) => [d.label, d.accuracy]));
    lines.push(
      '',
      `delta vs ${report.reference} (points; ± combines both spreads; ±? = a single seed, spread unknown)`,
    );
    for (const l of langs) {
      lines.push(
        row(
          l,
          groups.map((g) => {
            const d = deltas.get(g.label)?.[l];
            if (!d) return '-';
            const points = d.delta * 100;
            const spread = d.spread === null ? '?' : (d.spread * 100).toFixed(1);
            return `${points >= 0 ? '+' : ''}${points.toFixed(1)}±${spread}`;
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
  const unfinished = report.groups.flatMap((g) => g.members.filter((m) => m.unfinished));
  if (unfinished.length) {
    lines.push('', 'unfinished runs (their figures are from their last evaluation):');
    for (const m of unfinished)
      lines.push(
        `  ${m.id}: ${m.state ?? 'no status'} at step ${m.step}/${m.totalSteps}, evaluated at ${m.evalStep ?? 'no step'}`,
      );
  }
  return lines.join('\n');
}
