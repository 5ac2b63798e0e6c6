// The language x language similarity matrix (final layer) at one eval step, values in the
// cells, on a fixed viridis scale over [0, 1] (colour-blind safe, and the same colour means
// the same similarity at every step; values below 0 take the scale's low end, the cell
// text says the value). A step slider goes back over the eval steps; it follows the newest
// step until the user moves it off the end.
import { h, svg } from '../dom';
import { formatValue, viridis, viridisText } from './scales';
import type { MetricsModel } from './series';

const CELL = 48;
const PAD = 40;

export class Heatmap {
  readonly el = h('section', undefined, 'card heatmap');
  private readonly slider = h('input', undefined, undefined, { type: 'range', min: '0', max: '0', step: '1' });
  private readonly stepLabel = h('span', '', 'muted');
  private readonly body = h('div');
  private model?: MetricsModel;
  private steps: number[] = [];

  constructor(
    private readonly state: { heatmapStep: number | null },
    private readonly saveState: () => void,
  ) {
    const label = h('label', 'Eval step ');
    label.append(this.slider, ' ', this.stepLabel);
    this.slider.setAttribute('aria-label', 'Eval step of the heatmap');
    this.slider.addEventListener('input', () => {
      const i = Number(this.slider.value);
      // At the right end the slider follows new evals; anywhere else it stays put.
      this.state.heatmapStep = i === this.steps.length - 1 ? null : this.steps[i];
      this.saveState();
      this.draw();
    });
    this.el.append(h('h3', 'Similarity between languages (final layer)'), label, this.body);
  }

  update(model: MetricsModel): void {
    this.model = model;
    this.steps = model.similaritySteps;
    this.slider.max = String(Math.max(0, this.steps.length - 1));
    this.slider.disabled = this.steps.length < 2;
    this.draw();
  }

  private draw(): void {
    const pinned = this.state.heatmapStep;
    let i = pinned === null ? this.steps.length - 1 : this.steps.indexOf(pinned);
    if (i < 0) i = this.steps.length - 1;
    this.slider.value = String(Math.max(0, i));
    const sim = i >= 0 ? this.model?.evalAt(this.steps[i])?.similarity : undefined;
    if (!sim) {
      this.stepLabel.textContent = '';
      this.body.replaceChildren(h('p', 'No similarity matrix yet (it comes with each evaluation).', 'muted'));
      return;
    }
    this.stepLabel.textContent = `${this.steps[i]} (${i + 1} of ${this.steps.length})`;
    const n = sim.languages.length;
    const size = PAD + n * CELL;
    const chart = svg('svg', { viewBox: `0 0 ${size + 8} ${size + 8}`, class: 'matrix', role: 'img' });
    chart.setAttribute('aria-label', `Similarity matrix at step ${this.steps[i]}`);
    sim.languages.forEach((lang, r) => {
      chart.append(
        svg('text', { class: 'tick', x: PAD - 6, y: PAD + r * CELL + CELL / 2 + 4, 'text-anchor': 'end' }, lang),
        svg('text', { class: 'tick', x: PAD + r * CELL + CELL / 2, y: PAD - 8, 'text-anchor': 'middle' }, lang),
      );
      sim.languages.forEach((other, c) => {
        const v = sim.matrix[r]?.[c] ?? Number.NaN;
        const x = PAD + c * CELL;
        const y = PAD + r * CELL;
        const cell = svg('rect', { class: 'cell', x, y, width: CELL - 1, height: CELL - 1, fill: viridis(v) });
        cell.append(svg('title', {}, `${lang} · ${other}: ${formatValue(v)}`));
        const text = svg(
          'text',
          { class: 'cell-value', x: x + CELL / 2, y: y + CELL / 2 + 4, 'text-anchor': 'middle', fill: viridisText(v) },
          v.toFixed(2),
        );
        chart.append(cell, text);
      });
    });
    const scale = h('div', undefined, 'scale');
    scale.append(h('span', '0'), h('span', undefined, 'viridis-bar'), h('span', '1'));
    this.body.replaceChildren(chart, scale);
  }
}
