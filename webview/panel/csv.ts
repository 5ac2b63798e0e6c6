// The run's metrics as CSV (Export CSV): one row per step that has a train or an eval
// event, one column per metric and language, in a fixed group order (train figures, then
// eval figures); a cell is empty where the step has no such figure. Pure, unit-tested.
import type { EvalEvent, TrainEvent } from '../../protocol/metrics';

type Row = Map<string, number>;
type PerLanguage = Record<string, number> | undefined;

// Column groups in output order; columns inside a group sort by their suffix (the language,
// or layer then language), numbers in numeric order.
const GROUPS = [
  'loss',
  'lr',
  'gradNorm',
  'tokensPerSec',
  'stepMs',
  'ce',
  'align',
  'accuracy',
  'accuracyMean',
  'accuracyLowResource',
  'evalLoss',
  'scored',
  'skipped.tooLong',
  'skipped.noRoom',
  'consistency',
  'correctBothOverEither',
  'silhouette',
  'probeAccuracy',
  'chance',
  'similarity',
  'softTokenSimilarity',
  'layerSimilarity',
];

export function metricsCsv(trains: readonly TrainEvent[], evals: readonly EvalEvent[]): string {
  const rows = new Map<number, Row>();
  const columns = new Map<string, [number, string]>(); // column -> [group index, suffix]
  const put = (step: number, group: string, suffix: string, v: number | undefined) => {
    if (v === undefined) return;
    const col = suffix ? `${group}:${suffix}` : group;
    if (!columns.has(col)) columns.set(col, [GROUPS.indexOf(group), suffix]);
    const row = rows.get(step) ?? new Map<string, number>();
    rows.set(step, row);
    row.set(col, v);
  };
  const perLang = (step: number, group: string, values: PerLanguage) => {
    for (const [lang, v] of Object.entries(values ?? {})) put(step, group, lang, v);
  };
  for (const e of trains) {
    for (const k of ['loss', 'lr', 'gradNorm', 'tokensPerSec', 'stepMs'] as const) put(e.step, k, '', e[k]);
    perLang(e.step, 'ce', e.ce);
    perLang(e.step, 'align', e.align);
  }
  for (const e of evals) {
    const s = e.step;
    perLang(s, 'accuracy', e.accuracy);
    put(s, 'accuracyMean', '', e.accuracyMean);
    put(s, 'accuracyLowResource', '', e.accuracyLowResource);
    perLang(s, 'evalLoss', e.loss);
    perLang(s, 'scored', e.scored);
    for (const [lang, why] of Object.entries(e.skipped ?? {})) {
      put(s, 'skipped.tooLong', lang, why.tooLong);
      put(s, 'skipped.noRoom', lang, why.noRoom);
    }
    perLang(s, 'consistency', e.consistency);
    perLang(s, 'correctBothOverEither', e.correctBothOverEither);
    put(s, 'silhouette', '', e.separability?.silhouette);
    put(s, 'probeAccuracy', '', e.separability?.probeAccuracy);
    put(s, 'chance', '', e.separability?.chance);
    for (const kind of ['similarity', 'softTokenSimilarity'] as const) {
      const m = e[kind];
      // The upper triangle: the matrix is symmetric with a unit diagonal.
      m?.languages.forEach((a, i) => {
        m.languages.forEach((b, j) => j > i && put(s, kind, `${a}/${b}`, m.matrix[i]?.[j]));
      });
    }
    e.layerSimilarity?.forEach((values, i) => perLang(s, 'layerSimilarity', prefixed(i + 1, values)));
  }
  const order = [...columns.entries()]
    .sort(([, [g1, s1]], [, [g2, s2]]) => g1 - g2 || s1.localeCompare(s2, 'en', { numeric: true }))
    .map(([col]) => col);
  const lines = [['step', ...order].map(cell).join(',')];
  for (const step of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(step)!;
    lines.push([String(step), ...order.map((c) => (row.has(c) ? String(row.get(c)) : ''))].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Layer n's values keyed `n:<lang>`, so layer columns sort by layer, then language. */
function prefixed(layer: number, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([lang, v]) => [`${layer}:${lang}`, v]));
}

/** A header cell, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function cell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
