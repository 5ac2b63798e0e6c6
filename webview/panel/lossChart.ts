// The loss chart: training loss and CE per language over steps, as SVG. The controls
// (legend toggles, EMA slider, log scale) are built once and keep their state across
// updates; an update only redraws the axes and the lines' `d`. Low-resource languages
// are dashed and marked in the legend, so they read without colour too.
import { h, setAttrs, svg } from '../dom';
import { extent, formatValue, linearScale, logScale, type Scale, seriesColour } from './scales';
import { ema, type MetricsModel, nearest, type Series } from './series';

const W = 720;
const H = 300;
const M = { top: 12, right: 16, bottom: 30, left: 52 };

export interface LossChartState {
  hidden: string[];
  smoothing: number;
  log: boolean;
}

export class LossChart {
  readonly el = h('section', undefined, 'card loss-chart');
  private readonly chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Loss over steps' });
  private readonly axes = svg('g', { class: 'axes' });
  private readonly lines = svg('g', { class: 'lines' });
  private readonly cursor = svg('line', { class: 'cursor hidden', y1: M.top, y2: H - M.bottom });
  private readonly legend = h('div', undefined, 'legend');
  private readonly readout = h('div', '\u00a0', 'readout');
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private model?: MetricsModel;
  private lowResource = new Set<string>();
  private x?: Scale;

  constructor(
    private readonly state: LossChartState,
    private readonly saveState: () => void,
  ) {
    const smoothing = h('input', undefined, undefined, { type: 'range', min: '0', max: '0.99', step: '0.01' });
    smoothing.value = String(state.smoothing);
    const smoothingValue = h('span', state.smoothing.toFixed(2), 'muted');
    smoothing.addEventListener('input', () => {
      state.smoothing = Number(smoothing.value);
      smoothingValue.textContent = state.smoothing.toFixed(2);
      this.changed();
    });
    const log = h('input', undefined, undefined, { type: 'checkbox' });
    log.checked = state.log;
    log.addEventListener('change', () => {
      state.log = log.checked;
      this.changed();
    });
    const controls = h('div', undefined, 'controls');
    const smoothLabel = h('label', 'Smoothing ');
    smoothLabel.append(smoothing, smoothingValue);
    const logLabel = h('label');
    logLabel.append(log, ' Log scale');
    controls.append(smoothLabel, logLabel);

    const overlay = svg('rect', {
      class: 'overlay',
      x: M.left,
      y: M.top,
      width: W - M.left - M.right,
      height: H - M.top - M.bottom,
    });
    overlay.addEventListener('mousemove', (e) => this.hover(e));
    overlay.addEventListener('mouseleave', () => this.cursor.classList.add('hidden'));
    this.chart.append(this.axes, this.lines, this.cursor, overlay);
    this.el.append(h('h3', 'Loss'), controls, this.chart, this.legend, this.readout);
  }

  update(model: MetricsModel, lowResource: readonly string[]): void {
    this.model = model;
    this.lowResource = new Set(lowResource);
    this.syncLegend(model.series);
    this.draw();
  }

  private changed(): void {
    this.saveState();
    this.draw();
  }

  private colour(s: Series, i: number): string {
    return s.lang === undefined ? 'var(--vscode-foreground)' : seriesColour(i - 1);
  }

  /** Add legend buttons for series seen for the first time; existing ones keep their state. */
  private syncLegend(series: Series[]): void {
    series.forEach((s, i) => {
      let b = this.buttons.get(s.key);
      if (!b) {
        b = h('button', undefined, 'legend-item', { 'data-key': s.key });
        b.addEventListener('click', () => {
          const hidden = new Set(this.state.hidden);
          if (hidden.has(s.key)) hidden.delete(s.key);
          else hidden.add(s.key);
          this.state.hidden = [...hidden];
          this.changed();
        });
        this.buttons.set(s.key, b);
      }
      const swatch = svg('svg', { class: 'swatch', viewBox: '0 0 16 4', width: 16, height: 4 });
      swatch.append(svg('line', { x1: 0, y1: 2, x2: 16, y2: 2, stroke: this.colour(s, i), class: this.lineClass(s) }));
      const low = s.lang !== undefined && this.lowResource.has(s.lang);
      b.replaceChildren(swatch, ` ${s.label}`, ...(low ? [h('span', ' low-resource', 'low-resource')] : []));
      b.setAttribute('aria-pressed', String(!this.state.hidden.includes(s.key)));
      this.legend.append(b); // re-appending keeps the model's order
    });
  }

  private lineClass(s: Series): string {
    return `series${s.lang !== undefined && this.lowResource.has(s.lang) ? ' low' : ''}`;
  }

  private visible(): { s: Series; i: number; values: number[] }[] {
    if (!this.model) return [];
    return this.model.series
      .map((s, i) => ({
        s,
        i,
        values: ema(
          s.points.map((p) => p.value),
          this.state.smoothing,
        ),
      }))
      .filter(({ s }) => !this.state.hidden.includes(s.key) && s.points.length > 0);
  }

  private draw(): void {
    for (const [key, b] of this.buttons) b.setAttribute('aria-pressed', String(!this.state.hidden.includes(key)));
    const shown = this.visible();
    const steps = extent(shown.flatMap(({ s }) => s.points.map((p) => p.step)));
    const ys = shown.flatMap(({ values }) => values).filter((v) => !this.state.log || v > 0);
    const [y0, y1] = extent(ys);
    const x = linearScale(steps, [M.left, W - M.right]);
    const y = this.state.log
      ? logScale([y0, y1], [H - M.bottom, M.top])
      : linearScale([Math.min(0, y0), y1 * 1.05 || 1], [H - M.bottom, M.top]);
    this.x = x;
    this.drawAxes(x, y);
    // Reuse each series' path element: only its `d` changes when events arrive.
    const keep = new Set<Element>();
    for (const { s, i, values } of shown) {
      let path = this.lines.querySelector<SVGPathElement>(`path[data-key="${CSS.escape(s.key)}"]`);
      if (!path) {
        path = svg('path', { 'data-key': s.key });
        this.lines.append(path);
      }
      const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(values[k]).toFixed(1)}`).join('');
      setAttrs(path, { d, stroke: this.colour(s, i), class: this.lineClass(s) });
      keep.add(path);
    }
    for (const p of [...this.lines.children]) if (!keep.has(p)) p.remove();
  }

  private drawAxes(x: Scale, y: Scale): void {
    this.axes.replaceChildren();
    for (const t of y.ticks(5)) {
      const py = y(t);
      this.axes.append(
        svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: py, y2: py }),
        svg('text', { class: 'tick', x: M.left - 6, y: py + 4, 'text-anchor': 'end' }, formatValue(t)),
      );
    }
    for (const t of x.ticks(6)) {
      this.axes.append(
        svg('text', { class: 'tick', x: x(t), y: H - M.bottom + 16, 'text-anchor': 'middle' }, formatValue(t)),
      );
    }
    this.axes.append(svg('text', { class: 'axis-label', x: W - M.right, y: H - 2, 'text-anchor': 'end' }, 'step'));
  }

  /** Read out the values of every shown series at the step nearest the pointer. */
  private hover(e: MouseEvent): void {
    const x = this.x;
    if (!x) return;
    const box = this.chart.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * W;
    const [d0, d1] = x.domain;
    const step = d0 + ((px - M.left) / (W - M.left - M.right)) * (d1 - d0);
    const parts: string[] = [];
    let at: number | undefined;
    for (const { s, values } of this.visible()) {
      const k = nearest(
        s.points.map((p) => p.step),
        step,
      );
      at ??= s.points[k].step;
      parts.push(`${s.label} ${formatValue(values[k])}`);
    }
    if (at === undefined) return;
    setAttrs(this.cursor, { x1: x(at), x2: x(at) });
    this.cursor.classList.remove('hidden');
    this.readout.textContent = `step ${at} · ${parts.join(' · ')}`;
  }
}
