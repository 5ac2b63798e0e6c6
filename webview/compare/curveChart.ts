// One Compare Runs chart: every shown group's curve over steps as its mean line over seeds
// with a band of ± one std between seeds (a band of zero width where only one seed reached
// a step), in the group's colour. The SVG is built once; an update redraws the axes and
// each group's paths, keyed by group. A hover read-out gives every group's mean ± std at
// the nearest step, and a table (the panel's ChartTable) is the text alternative of the
// chart.
import type { CurvePoint } from '../../protocol/compareReport';
import { h, setAttrs, svg } from '../dom';
import { ChartTable, unionSorted } from '../panel/chartTable';
import { extent, formatValue, linearScale, type Scale } from '../panel/scales';
import { ema, nearest } from '../panel/series';

const W = 720;
const H = 260;
const M = { top: 12, right: 16, bottom: 30, left: 52 };

export interface GroupCurve {
  key: string;
  label: string;
  colour: string;
  points: CurvePoint[];
}

export interface CurveChartOptions {
  title: string;
  /** Value shown in ticks, read-outs and the table (accuracy as %, CE as is). */
  format: (v: number) => string;
  /** The y axis starts at 0 (accuracy). */
  fromZero?: boolean;
  /** Draw a dot at each point (sparse curves such as eval accuracy). */
  markers?: boolean;
}

interface Drawn {
  c: GroupCurve;
  steps: number[];
  mean: number[];
  std: number[];
}

export class CurveChart {
  readonly el = h('section', undefined, 'card curve-chart');
  private readonly heading = h('h3');
  private readonly chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
  private readonly axes = svg('g', { class: 'axes' });
  private readonly bands = svg('g', { class: 'bands' });
  private readonly lines = svg('g', { class: 'lines' });
  private readonly cursor = svg('line', { class: 'cursor hidden', y1: M.top, y2: H - M.bottom });
  private readonly readout = h('div', '\u00a0', 'readout');
  private readonly table = new ChartTable('Table', '');
  private drawn: Drawn[] = [];
  private x?: Scale;

  constructor(private opts: CurveChartOptions) {
    const overlay = svg('rect', {
      class: 'overlay',
      x: M.left,
      y: M.top,
      width: W - M.left - M.right,
      height: H - M.top - M.bottom,
    });
    overlay.addEventListener('mousemove', (e) => this.hover(e));
    overlay.addEventListener('mouseleave', () => this.cursor.classList.add('hidden'));
    this.chart.append(this.axes, this.bands, this.lines, this.cursor, overlay);
    this.el.append(this.heading, this.chart, this.readout, this.table.el);
    this.setTitle(opts.title);
  }

  /** Controls shown above the chart (e.g. the metric picker), placed under the heading. */
  addControls(controls: HTMLElement): void {
    this.heading.after(controls);
  }

  setOptions(opts: CurveChartOptions): void {
    this.opts = opts;
    this.setTitle(opts.title);
  }

  private setTitle(title: string): void {
    this.heading.textContent = title;
    const label = `${title}: mean over seeds with a band of ± one std`;
    this.chart.setAttribute('aria-label', label);
    this.table.set(() => this.tableData(), label);
  }

  /** Redraw with these groups' curves; `smoothing` is an EMA weight in [0, 1) on mean and std. */
  update(curves: GroupCurve[], smoothing = 0): void {
    this.drawn = curves
      .filter((c) => c.points.length > 0)
      .map((c) => ({
        c,
        steps: c.points.map((p) => p.step),
        mean: ema(
          c.points.map((p) => p.mean),
          smoothing,
        ),
        std: ema(
          c.points.map((p) => p.std),
          smoothing,
        ),
      }));
    const steps = extent(this.drawn.flatMap((d) => d.steps));
    const [lo, hi] = extent(this.drawn.flatMap((d) => d.mean.flatMap((m, i) => [m - d.std[i], m + d.std[i]])));
    const y0 = this.opts.fromZero ? Math.min(0, lo) : lo - (hi - lo) * 0.05;
    const x = linearScale(steps, [M.left, W - M.right]);
    const y = linearScale([y0, hi + (hi - y0) * 0.05 || 1], [H - M.bottom, M.top]);
    this.x = x;
    this.drawAxes(x, y);
    const keep = new Set<Element>();
    for (const d of this.drawn) {
      const key = d.c.key;
      const pts = (vs: number[]) => d.steps.map((s, i) => `${x(s).toFixed(1)},${y(vs[i]).toFixed(1)}`);
      const upper = pts(d.mean.map((m, i) => m + d.std[i]));
      const lower = pts(d.mean.map((m, i) => m - d.std[i])).reverse();
      const band = this.keyed(this.bands, 'path', key);
      setAttrs(band, { class: 'band', fill: d.c.colour, d: `M${[...upper, ...lower].join('L')}Z` });
      const line = this.keyed(this.lines, 'path', key);
      setAttrs(line, { class: 'series mean', stroke: d.c.colour, d: `M${pts(d.mean).join('L')}` });
      keep.add(band).add(line);
      if (this.opts.markers) {
        const dots = this.keyed(this.lines, 'g', key);
        dots.replaceChildren(
          ...d.steps.map((s, i) =>
            svg('circle', { class: 'point', cx: x(s), cy: y(d.mean[i]), r: 3, fill: d.c.colour }),
          ),
        );
        keep.add(dots);
      }
    }
    for (const g of [this.bands, this.lines]) for (const e of [...g.children]) if (!keep.has(e)) e.remove();
    this.table.set(() => this.tableData());
  }

  /** The element of this kind drawn for `key`, made on first use (kept across updates). */
  private keyed<K extends 'path' | 'g'>(parent: SVGGElement, tag: K, key: string): SVGElementTagNameMap[K] {
    const found = parent.querySelector<SVGElementTagNameMap[K]>(`:scope > ${tag}[data-key="${CSS.escape(key)}"]`);
    if (found) return found;
    const e = svg(tag, { 'data-key': key });
    parent.append(e);
    return e;
  }

  private drawAxes(x: Scale, y: Scale): void {
    this.axes.replaceChildren();
    for (const t of y.ticks(5)) {
      const py = y(t);
      this.axes.append(
        svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: py, y2: py }),
        svg('text', { class: 'tick', x: M.left - 6, y: py + 4, 'text-anchor': 'end' }, this.opts.format(t)),
      );
    }
    for (const t of x.ticks(6))
      this.axes.append(
        svg('text', { class: 'tick', x: x(t), y: H - M.bottom + 16, 'text-anchor': 'middle' }, formatValue(t)),
      );
    this.axes.append(svg('text', { class: 'axis-label', x: W - M.right, y: H - 2, 'text-anchor': 'end' }, 'step'));
  }

  private valueText(d: Drawn, i: number): string {
    const n = d.c.points[i].n;
    return `${this.opts.format(d.mean[i])} ± ${this.opts.format(d.std[i])} (${n} seed${n === 1 ? '' : 's'})`;
  }

  private hover(e: MouseEvent): void {
    const x = this.x;
    if (!x || !this.drawn.length) return;
    const box = this.chart.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * W;
    const [d0, d1] = x.domain;
    const step = d0 + ((px - M.left) / (W - M.left - M.right)) * (d1 - d0);
    const all = [...new Set(this.drawn.flatMap((d) => d.steps))].sort((a, b) => a - b);
    const at = all[nearest(all, step)];
    const parts = this.drawn.flatMap((d) => {
      const i = d.steps.indexOf(at);
      return i < 0 ? [] : [`${d.c.label} ${this.valueText(d, i)}`];
    });
    setAttrs(this.cursor, { x1: x(at), x2: x(at) });
    this.cursor.classList.remove('hidden');
    this.readout.textContent = `step ${at} · ${parts.join(' · ')}`;
  }

  /** The chart as a table: a row per step, a column per group (mean ± std and seeds). */
  private tableData() {
    const steps = unionSorted(this.drawn.map((d) => d.steps));
    return {
      columns: ['step', ...this.drawn.map((d) => d.c.label)],
      rows: steps.length,
      row: (r: number) => [
        String(steps[r]),
        ...this.drawn.map((d) => {
          const i = d.steps.indexOf(steps[r]);
          return i < 0 ? '–' : this.valueText(d, i);
        }),
      ],
    };
  }
}
