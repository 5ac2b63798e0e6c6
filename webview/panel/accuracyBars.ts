// Per-language eval accuracy at one eval step as bars, each beside the base model's
// (step 0). The counts behind a figure (items scored, items skipped and why) are in the
// bar's tooltip and, on hover, in the card's read-out; the value is written above it.
import type { EvalEvent } from '../../protocol/metrics';
import { h, svg } from '../dom';
import { ChartTable } from './chartTable';
import { countsText, pct } from './evalSeries';
import { linearScale } from './scales';

const H = 220;
const M = { top: 18, bottom: 34, left: 40, right: 8 };
const GROUP = 64;

export class AccuracyBars {
  readonly el = h('div', undefined, 'accuracy-bars');
  /** The bar chart as drawn (undefined before the first eval), for export. */
  chart?: SVGSVGElement;
  /** The bars' figures as a table (the card places it under the bars). */
  readonly table = new ChartTable('Table of the bars', 'Accuracy per language');

  constructor(private readonly readout: HTMLElement) {}

  /** Bars of `shown` beside `base` (either may be missing); the base alone when it is the one shown. */
  update(shown: EvalEvent | undefined, base: EvalEvent | undefined, lowResource: readonly string[]): void {
    const latest = shown && shown !== base ? shown : undefined;
    const first = latest ?? base;
    if (!first?.accuracy) {
      this.chart = undefined;
      this.el.replaceChildren(h('p', 'No evaluation yet.', 'muted'));
      this.table.set(() => ({ columns: [], rows: 0, row: () => [] }));
      return;
    }
    const title = latest ? `Accuracy at step ${latest.step} vs base (step 0)` : 'Accuracy of the base model';
    const langs = Object.keys(first.accuracy).sort();
    this.table.set(() => barTable(langs, latest ? [base, latest] : [base], lowResource), title);
    const W = M.left + M.right + GROUP * langs.length;
    const y = linearScale([0, 1], [H - M.bottom, M.top]);
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'bars' });
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      chart.append(
        svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }),
        svg('text', { class: 'tick', x: M.left - 4, y: y(t) + 4, 'text-anchor': 'end' }, pct(t)),
      );
    }
    const low = new Set(lowResource);
    const pairs: [EvalEvent | undefined, string][] = latest
      ? [
          [base, 'bar-base'],
          [latest, 'bar-latest'],
        ]
      : [[base, 'bar-base']];
    langs.forEach((lang, i) => {
      const x0 = M.left + i * GROUP + 8;
      pairs.forEach(([e, cls], k) => {
        const v = e?.accuracy?.[lang];
        if (e === undefined || v === undefined) return;
        const bx = x0 + k * 24;
        const text = barText(e, lang);
        const bar = svg('rect', {
          class: `bar ${cls}`,
          x: bx,
          y: y(v),
          width: 22,
          height: y(0) - y(v),
          'data-lang': lang,
        });
        bar.append(svg('title', {}, text));
        bar.addEventListener('pointerenter', () => {
          this.readout.textContent = text;
        });
        chart.append(
          bar,
          svg('text', { class: 'bar-value', x: bx + 11, y: y(v) - 3, 'text-anchor': 'middle' }, pct(v)),
        );
      });
      const cls = `tick${low.has(lang) ? ' low-resource' : ''}`;
      const label = low.has(lang) ? `${lang} ◆` : lang;
      chart.append(svg('text', { class: cls, x: x0 + 23, y: H - M.bottom + 16, 'text-anchor': 'middle' }, label));
    });
    const key = h('div', undefined, 'bar-key');
    key.append(h('span', 'base (step 0)', 'key-base'));
    if (latest) key.append(h('span', `step ${latest.step}`, 'key-latest'));
    if (low.size) key.append(h('span', '◆ low-resource', 'muted'));
    this.chart = chart;
    this.el.replaceChildren(h('h4', title), chart, key);
  }
}

/** A row per language, a column per eval step shown (base first): the bars' figures and counts. */
function barTable(langs: string[], evals: (EvalEvent | undefined)[], lowResource: readonly string[]) {
  const shown = evals.filter((e): e is EvalEvent => e !== undefined);
  return {
    columns: ['language', ...shown.map((e) => (e.step === 0 ? 'base (step 0)' : `step ${e.step}`))],
    rows: langs.length,
    row: (i: number) => {
      const lang = langs[i];
      return [
        lowResource.includes(lang) ? `${lang} (low-resource)` : lang,
        ...shown.map((e) => {
          const v = e.accuracy?.[lang];
          const counts = countsText(e, lang);
          return v === undefined ? '–' : `${pct(v, 1)}${counts ? ` (${counts})` : ''}`;
        }),
      ];
    },
  };
}

/** "te at step 40: 42.0% (40 scored, 2 skipped: 2 too long)". */
export function barText(e: EvalEvent, lang: string): string {
  const counts = countsText(e, lang);
  return `${lang} at step ${e.step}: ${pct(e.accuracy?.[lang] ?? 0, 1)}${counts ? ` (${counts})` : ''}`;
}
