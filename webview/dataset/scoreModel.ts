// A model's scores of the grid's items (protocol/datasetScores.ts), without the DOM: the
// figures of a row's language, whether they are stale (the row's line hash differs from the
// one scored: the item was edited since), which columns to show, and the order of rows
// sorted by a score column (weakest first). Items are matched by id.
import type { DatasetRow } from '../../protocol/datasetMessages';
import type { DatasetScores, ItemScores, LanguageScore, ScoreMetric } from '../../protocol/datasetScores';

export interface ScoreSort {
  lang: string;
  metric: ScoreMetric;
  /** Largest first: the weakest translations on top. */
  descending: boolean;
}

export interface CellScore {
  score: LanguageScore;
  /** The item changed since it was scored. */
  stale: boolean;
}

/**
 * Fixed domains, the same in every file and run: a distance of 1 - cos is 0 to 2 (1 is
 * orthogonal, where real translations never go), a loss is 0 to about ln(V) nats/token for
 * a model that guesses (ln 260 = 5.6 for the byte-level one).
 */
export const SCORE_DOMAINS: Record<ScoreMetric, [number, number]> = { distance: [0, 1], loss: [0, 6] };

export class ScoreModel {
  scores: DatasetScores | null = null;
  private byId = new Map<string, ItemScores>();

  set(scores: DatasetScores | null): void {
    this.scores = scores;
    this.byId = new Map(scores?.items.map((it) => [it.id, it]));
  }

  /** The score columns of a language: loss for the pivot (its distance is 0 by definition), both for the others. */
  metrics(lang: string): ScoreMetric[] {
    const s = this.scores;
    if (!s?.languages.includes(lang)) return [];
    return lang === s.pivot ? ['loss'] : ['distance', 'loss'];
  }

  /** The figures of a row in a language; undefined when the row was not scored in it (a new item). */
  of(row: DatasetRow | undefined, lang: string): CellScore | undefined {
    if (row?.kind !== 'item' || row.id === null) return undefined;
    const item = this.byId.get(row.id);
    if (!item || !Object.hasOwn(item.langs, lang)) return undefined;
    const score = item.langs[lang];
    return { score, stale: row.hash !== item.hash };
  }

  /** Items whose scores no longer match their text, and items not scored at all. */
  counts(rows: readonly DatasetRow[]): { stale: number; unscored: number } {
    let stale = 0;
    let unscored = 0;
    for (const r of rows) {
      if (r.kind !== 'item') continue;
      const item = r.id === null ? undefined : this.byId.get(r.id);
      if (!item) unscored++;
      else if (item.hash !== r.hash) stale++;
    }
    return { stale, unscored };
  }

  /** `visible` (line indices) ordered by the sort's column; rows without a figure last, ties in line order. */
  sort(visible: readonly number[], rows: readonly DatasetRow[], sort: ScoreSort): number[] {
    const value = (i: number) => this.of(rows[i], sort.lang)?.score[sort.metric];
    const keyed = visible.map((i) => ({ i, v: value(i) }));
    const sign = sort.descending ? -1 : 1;
    keyed.sort((a, b) => {
      if (a.v === undefined || b.v === undefined)
        return (a.v === undefined ? 1 : 0) - (b.v === undefined ? 1 : 0) || a.i - b.i;
      return sign * (a.v - b.v) || a.i - b.i;
    });
    return keyed.map((k) => k.i);
  }
}

/** The next sort after a click on a column's header. */
export function nextSort(current: ScoreSort | null, lang: string, metric: ScoreMetric): ScoreSort | null {
  if (current?.lang !== lang || current.metric !== metric) return { lang, metric, descending: true };
  return current.descending ? { ...current, descending: false } : null;
}
