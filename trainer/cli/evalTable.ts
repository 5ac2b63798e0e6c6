// The per-language table `solar eval` prints. Every empty cell is explained under the
// table: items the context cannot hold whole, a pivot missing from the data, languages
// left out, so a user never reads a blank or a low number without knowing why.
import type { SkipReason } from '../../protocol/metrics';
import type { EvalMetrics } from '../eval/evaluate';

export interface EvalTableOptions {
  pivot: string;
  lowResource: string[];
  /** The model's context in tokens (bytes), named when items did not fit it. */
  maxSeqLen: number;
  /** The run's training languages; other evaluated languages are marked. Undefined: not marked. */
  trained?: string[];
  /** Languages left out of this evaluation, with why. */
  notEvaluated?: Record<string, string>;
}

const SKIP_NAMES: Record<SkipReason, string> = { tooLong: 'too long', noRoom: 'no room' };

const pct = (x: number | undefined) => (x === undefined ? '     -' : `${(100 * x).toFixed(1).padStart(5)}%`);
const num = (x: number | undefined) => (x === undefined ? '     -' : x.toFixed(3).padStart(6));

function skippedCount(m: EvalMetrics, l: string): number {
  return Object.values(m.skipped?.[l] ?? {}).reduce((a, b) => a + (b ?? 0), 0);
}

/** Why the pivot columns are empty, or undefined when they are not. */
function pivotNote(m: EvalMetrics, o: EvalTableOptions): string | undefined {
  const p = o.pivot;
  const evaluated = p in (m.scored ?? m.accuracy ?? {});
  if (!evaluated) {
    const why = o.notEvaluated?.[p] ?? 'not in the data';
    return `no ${p} (pivot) in this evaluation (${why}): sim(${p}), soft(${p}) and consistency compare each language with the pivot, so they are empty; the language x language similarity is in the saved JSON`;
  }
  const noVectors = m.similarity !== undefined && !m.similarity.languages.includes(p);
  if (m.scored?.[p] === 0) {
    return noVectors
      ? `every ${p} (pivot) item was skipped: sim(${p}), soft(${p}) and consistency are empty`
      : `no ${p} (pivot) item could be scored: consistency is empty`;
  }
  return noVectors ? `no whole ${p} (pivot) prompt: sim(${p}) and soft(${p}) are empty` : undefined;
}

/** A per-language table of one evaluation, with notes for whatever it leaves empty. */
export function formatEvalTable(m: EvalMetrics, o: EvalTableOptions): string {
  const { pivot } = o;
  const langs = Object.keys(m.scored ?? m.accuracy ?? {});
  const simTo = (mat: EvalMetrics['similarity'], l: string) => {
    const [p, i] = [mat?.languages.indexOf(pivot) ?? -1, mat?.languages.indexOf(l) ?? -1];
    return p < 0 || i < 0 ? undefined : mat!.matrix[p][i];
  };
  const untrained = (l: string) => o.trained !== undefined && !o.trained.includes(l);
  // Column widths: lang, accuracy, items, loss, sim, soft, consistency; skipped last, free width.
  const widths = [7, 8, 8, 8, 9, 10, 13];
  const line = (cells: string[], rest = '') =>
    `${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('')}  ${rest}`.trimEnd();
  const lines = [
    line(['lang', 'accuracy', 'items', 'loss', `sim(${pivot})`, `soft(${pivot})`, 'consistency'], 'skipped'),
  ];
  for (const l of langs) {
    const tag = `${o.lowResource.includes(l) ? '*' : ''}${untrained(l) ? '+' : ''}`;
    const scored = m.scored?.[l];
    const items = scored === undefined ? '-' : `${scored}/${scored + skippedCount(m, l)}`;
    const skips = Object.entries(m.skipped?.[l] ?? {})
      .map(([r, n]) => `${n} ${SKIP_NAMES[r as SkipReason]}`)
      .join(', ');
    const cons = l === pivot ? '-' : pct(m.consistency?.[l]);
    lines.push(
      line(
        [
          l + tag,
          pct(m.accuracy?.[l]),
          items,
          num(m.loss?.[l]),
          num(simTo(m.similarity, l)),
          num(simTo(m.softTokenSimilarity, l)),
          cons,
        ],
        skips,
      ),
    );
  }
  lines.push(line(['mean', pct(m.accuracyMean)], `(* low-resource mean ${pct(m.accuracyLowResource).trim()})`));
  if (langs.some(untrained)) lines.push("+ not among the run's training languages");
  if (m.skipped && Object.keys(m.skipped).length) {
    lines.push(
      'skipped items are not scored, and accuracy is over the scored ones (items: scored/with the language):',
      `  too long = the prompt does not fit the model's context of ${o.maxSeqLen} tokens (bytes) and would be cut; no room = it fits but leaves too few tokens for the answer`,
    );
  }
  const note = pivotNote(m, o);
  if (note) lines.push(note);
  const left = Object.entries(o.notEvaluated ?? {});
  if (left.length) lines.push(`not evaluated: ${left.map(([l, why]) => `${l} (${why})`).join(', ')}`);
  if (m.separability)
    lines.push(
      `separability: silhouette ${m.separability.silhouette.toFixed(3)}, language-ID probe ${pct(m.separability.probeAccuracy)} (chance ${pct(m.separability.chance)})`,
    );
  lines.push(`${m.items} items in ${m.seconds}s`);
  return lines.join('\n');
}
