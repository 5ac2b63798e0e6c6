// The score columns of the dataset grid: per language, the distance to the pivot and the
// response loss of the row, shaded on fixed viridis scales (colour-blind safe, the same
// colours in every file: SCORE_DOMAINS), with the reason as a dash and a tooltip where
// there is no number, and a hatched, dimmed cell where the item changed since it was
// scored. The shade is an SVG rect filling the cell: the CSP allows no inline styles.
import { SCORE_SKIP_TEXT, type ScoreMetric } from '../../protocol/datasetScores';
import { h, svg } from '../dom';
import { viridis, viridisText } from '../panel/scales';
import { type CellScore, SCORE_DOMAINS, type ScoreModel, type ScoreSort } from './scoreModel';

/** What a column measures, for its header and tooltips. */
export function metricLabel(metric: ScoreMetric, pivot: string): { short: string; long: string } {
  return metric === 'distance'
    ? { short: `Δ ${pivot}`, long: `distance to ${pivot} (1 − cos of the soft-token summaries)` }
    : { short: 'loss', long: 'response loss (nats/token)' };
}

export function formatScore(metric: ScoreMetric, v: number): string {
  return v.toFixed(metric === 'distance' ? 3 : 2);
}

/** Position of a value on its metric's fixed scale, 0..1. */
export function shade(metric: ScoreMetric, v: number): number {
  const [lo, hi] = SCORE_DOMAINS[metric];
  return Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}

/** A swatch filling its cell (or legend box) in the colour of t. */
export function swatch(t: number, cls = 'ds-shade'): SVGSVGElement {
  const s = svg('svg', {
    class: cls,
    width: '100%',
    height: '100%',
    'aria-hidden': 'true',
    preserveAspectRatio: 'none',
  });
  s.append(svg('rect', { width: '100%', height: '100%', fill: viridis(t) }));
  return s;
}

export function scoreCell(metric: ScoreMetric, lang: string, pivot: string, cell: CellScore | undefined): HTMLElement {
  const el = h('div', undefined, 'ds-cell ds-score', { role: 'gridcell', 'data-score': `${metric}:${lang}` });
  const what = metricLabel(metric, pivot).long;
  if (!cell) {
    el.classList.add('ds-unscored');
    el.title = `${lang}: not scored (added after the scoring, or not in the languages scored)`;
    return el;
  }
  const v = cell.score[metric];
  const skipped = metric === 'distance' ? cell.score.distanceSkipped : cell.score.lossSkipped;
  if (v === undefined) {
    el.append(h('span', '—', 'ds-score-value'));
    el.classList.add('ds-skipped');
    el.title = `${lang} ${what}: none, ${skipped ? SCORE_SKIP_TEXT[skipped] : 'not scored'}`;
  } else {
    const t = shade(metric, v);
    el.append(swatch(t), h('span', formatScore(metric, v), 'ds-score-value'));
    el.classList.add(viridisText(t) === '#000' ? 'ds-on-light' : 'ds-on-dark');
    const tokens = metric === 'loss' && cell.score.tokens ? ` over ${cell.score.tokens} tokens` : '';
    el.title = `${lang} ${what}: ${v}${tokens}`;
  }
  if (cell.stale) {
    el.classList.add('ds-stale');
    el.title += '\nStale: the item changed since it was scored; score again to update.';
  }
  return el;
}

/** The header buttons over a language's score columns: click to sort by it (largest first, then smallest, then off). */
export function scoreHeaders(model: ScoreModel, lang: string, sort: ScoreSort | null): HTMLElement[] {
  const pivot = model.scores?.pivot ?? '';
  return model.metrics(lang).map((metric) => {
    const { short, long } = metricLabel(metric, pivot);
    const active = sort?.lang === lang && sort.metric === metric;
    const arrow = active ? (sort.descending ? ' ▼' : ' ▲') : '';
    const b = h('button', short + arrow, 'ds-sort', {
      'data-sort-lang': lang,
      'data-sort-metric': metric,
      title: `Sort by ${lang} ${long}`,
      'aria-label': `Sort by ${lang} ${long}`,
      'aria-pressed': String(active),
    });
    return b;
  });
}
