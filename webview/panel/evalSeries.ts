// Series over eval steps (accuracy, consistency, separability), the per-layer view of one
// eval, which eval steps carry what, and the counts behind an accuracy. Pure (no DOM),
// unit-tested; the accuracy, alignment and trend cards draw them.
import type { EvalEvent } from '../../protocol/metrics';
import type { Series } from './series';

export type MatrixKind = 'similarity' | 'softTokenSimilarity';
/** What the alignment card shows: one of the two matrices, or similarity per layer. */
export type AlignmentView = MatrixKind | 'layers';
export const ALIGNMENT_VIEWS: readonly AlignmentView[] = ['similarity', 'softTokenSimilarity', 'layers'];

type PerLanguage = Record<string, number> | undefined;

/** One series per language over rows of per-language values (x = the row's step), languages sorted. */
export function perLanguageSeries(rows: readonly { step: number; values: PerLanguage }[], prefix: string): Series[] {
  const byLang = new Map<string, Series>();
  for (const { step, values } of rows) {
    for (const [lang, value] of Object.entries(values ?? {})) {
      let s = byLang.get(lang);
      if (!s) {
        s = { key: `${prefix}:${lang}`, label: lang, lang, points: [] };
        byLang.set(lang, s);
      }
      s.points.push({ step, value });
    }
  }
  return [...byLang.values()].sort((a, b) => a.label.localeCompare(b.label));
}

export function accuracySeries(evals: readonly EvalEvent[]): Series[] {
  return perLanguageSeries(
    evals.map((e) => ({ step: e.step, values: e.accuracy })),
    'acc',
  );
}

export function consistencySeries(evals: readonly EvalEvent[]): Series[] {
  return perLanguageSeries(
    evals.map((e) => ({ step: e.step, values: e.consistency })),
    'cons',
  );
}

/** Silhouette and probe accuracy over eval steps, and the probe's chance level (the latest). */
export function separabilitySeries(evals: readonly EvalEvent[]): { series: Series[]; chance?: number } {
  const withSep = evals.filter((e) => e.separability);
  if (!withSep.length) return { series: [] };
  const line = (key: string, label: string, pick: (s: NonNullable<EvalEvent['separability']>) => number) => ({
    key: `sep:${key}`,
    label,
    points: withSep.map((e) => ({ step: e.step, value: pick(e.separability!) })),
  });
  return {
    series: [
      line('silhouette', 'silhouette', (s) => s.silhouette),
      line('probe', 'probe accuracy', (s) => s.probeAccuracy),
    ],
    chance: withSep.at(-1)!.separability!.chance,
  };
}

/** Cosine to the pivot per language over layers (x = layer, 1-based) of one eval. */
export function layerSeries(e: EvalEvent | undefined): Series[] {
  return perLanguageSeries(
    (e?.layerSimilarity ?? []).map((values, i) => ({ step: i + 1, values })),
    'layer',
  );
}

/** Eval steps, ascending, that carry what `view` draws. */
export function stepsWith(evals: readonly EvalEvent[], view: AlignmentView): number[] {
  return evals.filter((e) => (view === 'layers' ? e.layerSimilarity?.length : e[view])).map((e) => e.step);
}

/** Eval steps with accuracy, ascending. */
export function accuracySteps(evals: readonly EvalEvent[]): number[] {
  return evals.filter((e) => e.accuracy).map((e) => e.step);
}

/**
 * The eval a step selector shows: `pinned` when it is one of `steps`, else the latest
 * (null = follow the newest); -1 when there are none.
 */
export function selectedIndex(steps: readonly number[], pinned: number | null): number {
  const i = pinned === null ? -1 : steps.indexOf(pinned);
  return i >= 0 ? i : steps.length - 1;
}

/** "40 scored, 3 skipped: 2 too long, 1 no room to answer": the counts behind a language's accuracy. */
export function countsText(e: EvalEvent, lang: string): string {
  const scored = e.scored?.[lang];
  const skipped = e.skipped?.[lang] ?? {};
  const tooLong = skipped.tooLong ?? 0;
  const noRoom = skipped.noRoom ?? 0;
  const parts: string[] = [];
  if (scored !== undefined) parts.push(`${scored} scored`);
  if (tooLong + noRoom) {
    const why = [tooLong ? `${tooLong} too long` : '', noRoom ? `${noRoom} no room to answer` : ''].filter(Boolean);
    parts.push(`${tooLong + noRoom} skipped: ${why.join(', ')}`);
  } else if (scored !== undefined) parts.push('none skipped');
  return parts.join(', ');
}

export function pct(v: number, digits = 0): string {
  return `${(v * 100).toFixed(digits)}%`;
}
