// Per-language eval accuracy at the latest eval step, each bar beside the base model's
// (step 0). The counts behind a figure (items scored, items left out) are in the bar's
// tooltip; the value is written above it.
import type { EvalEvent } from '../../protocol/metrics';
import { h, svg } from '../dom';
import { linearScale } from './scales';
import type { MetricsModel } from './series';

const H = 220;
const M = { top: 18, bottom: 34, left: 40, right: 8 };
const GROUP = 64;

export class AccuracyBars {
  readonly el = h('section', undefined, 'card accuracy');
  private readonly title = h('h3', 'Accuracy');
  private readonly body = h('div');

  constructor() {
    this.el.append(this.title, this.body);
  }

  update(model: MetricsModel, lowResource: readonly string[]): void {
    const { latest, base } = model.accuracy();
    const shown = latest ?? base;
    if (!shown?.accuracy) {
      this.body.replaceChildren(h('p', 'No evaluation yet.', 'muted'));
      return;
    }
    this.title.textContent = latest ? `Accuracy at step ${latest.step} vs base (step 0)` : 'Accuracy of the base model';
    const langs = Object.keys(shown.accuracy).sort();
    const W = M.left + M.right + GROUP * langs.length;
    const y = linearScale([0, 1], [H - M.bottom, M.top]);
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': this.title.textContent });
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      chart.append(
        svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }),
        svg('text', { class: 'tick', x: M.left - 4, y: y(t) + 4, 'text-anchor': 'end' }, `${t * 100}%`),
      );
    }
    const low = new Set(lowResource);
    langs.forEach((lang, i) => {
      const x0 = M.left + i * GROUP + 8;
      const bars: [EvalEvent | undefined, string][] = latest
        ? [
            [base, 'bar-base'],
            [latest, 'bar-latest'],
          ]
        : [[base, 'bar-base']];
      bars.forEach(([e, cls], k) => {
        const v = e?.accuracy?.[lang];
        if (v === undefined) return;
        const bx = x0 + k * 24;
        const bar = svg('rect', { class: `bar ${cls}`, x: bx, y: y(v), width: 22, height: y(0) - y(v) });
        bar.append(svg('title', {}, tooltip(e!, lang)));
        chart.append(
          bar,
          svg('text', { class: 'bar-value', x: bx + 11, y: y(v) - 3, 'text-anchor': 'middle' }, pct(v)),
        );
      });
      const label = svg(
        'text',
        {
          class: `tick${low.has(lang) ? ' low-resource' : ''}`,
          x: x0 + 23,
          y: H - M.bottom + 16,
          'text-anchor': 'middle',
        },
        low.has(lang) ? `${lang} ◆` : lang,
      );
      chart.append(label);
    });
    const key = h('div', undefined, 'bar-key');
    key.append(h('span', 'base (step 0)', 'key-base'));
    if (latest) key.append(h('span', `step ${latest.step}`, 'key-latest'));
    if (low.size) key.append(h('span', '◆ low-resource', 'muted'));
    this.body.replaceChildren(chart, key);
  }
}

function pct(v: number): string {
  return `${(v * 100).toFixed(0)}%`;
}

/** "sw at step 40: 42.0% of 50 scored, 2 left out (too long)". */
function tooltip(e: EvalEvent, lang: string): string {
  const v = e.accuracy?.[lang] ?? 0;
  const scored = e.scored?.[lang];
  const skipped = e.skipped?.[lang] ?? {};
  const left = (skipped.tooLong ?? 0) + (skipped.noRoom ?? 0);
  const parts = [`${lang} at step ${e.step}: ${(v * 100).toFixed(1)}%`];
  if (scored !== undefined) parts.push(`of ${scored} scored`);
  if (left) parts.push(`${left} left out (${skipped.tooLong ?? 0} too long, ${skipped.noRoom ?? 0} no room to answer)`);
  return parts.join(', ');
}
