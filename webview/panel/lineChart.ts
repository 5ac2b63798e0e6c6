// A line chart over steps (or layers) as SVG, shared by every chart of the panel. It is
// built once; draw() redraws the axes and reuses each line's path element by key, so a
// live delta only changes `d`. Optional: point markers (with the counts behind a value),
// dashed reference lines (chance), a vertical mark at the selected step, and on the x
// axis a drag to select a range (zoom), a click to pick a point, a double-click to reset,
// and the same zoom by keyboard when the chart has focus (chartKeys.ts). Pointer positions
// are read in viewBox units, so the chart may be drawn at any width. A long series is drawn
// with a few points per column (downsample.ts); the read-out and the table (its text
// alternative, chartTable.ts) give every point.
import { h, setAttrs, svg } from '../dom';
import { type AxesOptions, drawAxes, drawGuides, type Guides, M } from './chartAxes';
import { ZOOM_KEYS, zoomForKey } from './chartKeys';
import { ChartTable, unionSorted } from './chartTable';
import { minMaxIndices } from './downsample';
import { extent, formatValue, linearScale, logScale, type Scale } from './scales';
import { ColumnsCache, nearest, type Point } from './series';
import { brushToRange, inside, type Range, visibleSlice } from './zoom';

/**
 * Width in viewBox units of one column of a downsampled line: one unit, a pixel or two as
 * the charts are drawn (their stroke is wider). Finer columns cost raster time on every
 * live update (11 noisy lines of 100,000 steps: twice the CPU at half a unit) for no
 * visible gain: each column keeps its extremes either way.
 */
const COLUMN = 1;

export interface Line {
  key: string;
  label: string;
  /** A CSS colour; omitted: the theme's foreground (class `total`). */
  colour?: string;
  /** Dashed: a low-resource language. */
  dashed?: boolean;
  points: Point[];
  /** Drawn values, one per point (smoothed); default the points' values. */
  values?: number[];
  /** Draw a dot at each point (sparse series such as evals; not when they would crowd). */
  markers?: boolean;
  /** More about point k for the read-out and the dot's tooltip (the counts behind it). */
  detail?: (k: number) => string;
}

export interface Frame extends Guides {
  lines: Line[];
  /** The x range shown (a zoom); default every point. */
  x?: Range;
  /** A fixed y range; default the shown values' extent (from 0 on a linear axis). */
  y?: Range;
  log?: boolean;
}

export interface LineChartOptions extends AxesOptions {
  /** The chart's accessible name. */
  label: string;
  /** Focusable, zoomed by keyboard through onBrush and onReset (the loss chart). */
  zoomable?: boolean;
  /** The text of the table's toggle; default "Table". */
  tableSummary?: string;
}

/** The least room, in viewBox units, between dots for a line to be drawn with them. */
const MARKER_GAP = 6;

let nextId = 0;

export class LineChart {
  readonly svg: SVGSVGElement;
  /** Hover read-out; also says what a keyboard zoom shows (polite: a screen reader reads it). */
  readonly readout = h('div', '\u00a0', 'readout', { 'aria-live': 'polite' });
  /** The chart's numbers as a table: the cards place it under the chart. */
  readonly table: ChartTable;
  /** A drag across the plot selected this x range; unset: no dragging. */
  onBrush?: (range: Range) => void;
  /** A click (no drag) nearest this point's x. */
  onPick?: (x: number) => void;
  /** A double-click on the plot. */
  onReset?: () => void;
  private readonly axes = svg('g', { class: 'axes' });
  private readonly paths = svg('g', { class: 'lines' });
  private readonly dots = svg('g', { class: 'markers' });
  private readonly extras = svg('g', { class: 'extras' });
  private readonly cursor: SVGLineElement;
  private readonly brush: SVGRectElement;
  /** Per line of the frame: its drawn values and steps (cached for the read-out). */
  private shown: { l: Line; values: number[]; steps: number[] }[] = [];
  /** Each line's steps and values as arrays, extended as its series grows. */
  private readonly columns = new ColumnsCache();
  private x?: Scale;
  /** Every x of the drawn lines (the zoom's bounds). */
  private full?: Range;
  private dragFrom?: number;

  constructor(private readonly o: LineChartOptions) {
    const { width: W, height: H } = o;
    this.svg = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': o.label, class: 'line-chart' });
    const clip = `solar-clip-${nextId++}`;
    const plot = { x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom };
    const defs = svg('defs');
    const clipPath = svg('clipPath', { id: clip });
    // A little wider than the plot, so dots on its edges stay whole.
    clipPath.append(svg('rect', { x: plot.x - 5, y: plot.y - 5, width: plot.width + 10, height: plot.height + 10 }));
    defs.append(clipPath);
    setAttrs(this.paths, { 'clip-path': `url(#${clip})` });
    setAttrs(this.dots, { 'clip-path': `url(#${clip})` });
    const overlay = svg('rect', { class: 'overlay', 'data-export': 'skip', ...plot });
    this.cursor = svg('line', { class: 'cursor hidden', 'data-export': 'skip', y1: M.top, y2: H - M.bottom });
    this.brush = svg('rect', { class: 'brush hidden', 'data-export': 'skip', y: M.top, height: plot.height });
    this.svg.append(defs, this.axes, overlay, this.extras, this.paths, this.dots, this.cursor, this.brush);
    this.table = new ChartTable(o.tableSummary ?? 'Table', o.label);
    if (o.zoomable) {
      setAttrs(this.svg, { tabindex: 0, 'aria-keyshortcuts': ZOOM_KEYS });
      this.svg.addEventListener('keydown', (e) => this.key(e));
    }
    this.listen();
  }

  /** Relabel the chart (and its table), e.g. for the step it shows. */
  setLabel(label: string): void {
    this.svg.setAttribute('aria-label', label);
    this.table.set(() => this.tableData(), label);
  }

  draw(frame: Frame): void {
    const { width: W, height: H } = this.o;
    const lines = frame.lines.map((l) => {
      const c = this.columns.of(l.key, l.points);
      return { l, values: l.values ?? c.values, steps: c.steps };
    });
    this.columns.keep(new Set(lines.map((s) => s.l.key)));
    this.shown = lines;
    // Steps ascend: each line's first and last are its extent.
    const full = extent(lines.flatMap((s) => (s.steps.length ? [s.steps[0], s.steps[s.steps.length - 1]] : [])));
    this.full = full;
    const xDomain = frame.x ?? full;
    const x = linearScale(xDomain, [M.left, W - M.right]);
    // Columns per step: the plot's width in columns over the shown steps.
    const perStep = (W - M.left - M.right) / COLUMN / (xDomain[1] - xDomain[0] || 1);
    const shown = lines.map((s) => {
      const [i0, i1] = visibleSlice(s.steps, xDomain);
      return { ...s, ks: minMaxIndices(s.steps, s.values, i0, i1, xDomain[0], perStep) };
    });
    let y: Scale;
    if (frame.y) y = linearScale(frame.y, [H - M.bottom, M.top]);
    else {
      // The kept points hold each column's lowest and highest: their extent is the data's.
      const inView: number[] = [];
      for (const { values, steps, ks } of shown)
        for (const k of ks) if (inside(steps[k], xDomain) && (!frame.log || values[k] > 0)) inView.push(values[k]);
      const [y0, y1] = extent(inView);
      y = frame.log
        ? logScale([y0, y1], [H - M.bottom, M.top])
        : linearScale([Math.min(0, y0), y1 * 1.05 || 1], [H - M.bottom, M.top]);
    }
    this.x = x;
    drawAxes(this.axes, x, y, this.o);
    const keep = new Set<Element>();
    this.dots.replaceChildren();
    for (const { l, values, steps, ks } of shown) {
      let path = this.paths.querySelector<SVGPathElement>(`path[data-key="${CSS.escape(l.key)}"]`);
      if (!path) {
        path = svg('path', { 'data-key': l.key });
        this.paths.append(path);
      }
      let d = '';
      for (const k of ks) d += `${d ? 'L' : 'M'}${x(steps[k]).toFixed(1)},${y(values[k]).toFixed(1)}`;
      const cls = `series${l.dashed ? ' low' : ''}${l.colour ? '' : ' total'}`;
      setAttrs(path, { d, class: cls, 'data-label': l.label });
      if (l.colour) path.setAttribute('stroke', l.colour);
      else path.removeAttribute('stroke');
      keep.add(path);
      // Dots closer than MARKER_GAP would only blur into the line (and cost an element
      // each): then the hover read-out gives each point and what is behind it.
      if (l.markers && (ks.length - 1) * MARKER_GAP <= W - M.left - M.right) this.drawDots(l, values, x, y);
    }
    for (const p of [...this.paths.children]) if (!keep.has(p)) p.remove();
    drawGuides(this.extras, x, y, frame, this.o);
    this.table.set(() => this.tableData());
  }

  /** The shown lines as a table: a row per x inside the shown range, the values as the read-out gives them. */
  private tableData() {
    const domain = this.x?.domain;
    const xs = unionSorted(this.shown.map((s) => s.steps)).filter((v) => !domain || inside(v, domain));
    const format = this.o.yFormat ?? formatValue;
    return {
      columns: [this.o.xLabel ?? 'step', ...this.shown.map((s) => s.l.label)],
      rows: xs.length,
      row: (i: number) => [
        String(xs[i]),
        ...this.shown.map(({ l, values, steps }) => {
          const k = nearest(steps, xs[i]);
          if (steps[k] !== xs[i]) return '–';
          const detail = l.detail?.(k);
          return `${format(values[k])}${detail ? ` (${detail})` : ''}`;
        }),
      ],
    };
  }

  /** A key on the focused chart: zoom or pan through onBrush / onReset, and say what is shown. */
  private key(e: KeyboardEvent): void {
    if (!this.x || !this.full || e.altKey || e.ctrlKey || e.metaKey) return;
    const next = zoomForKey(e, { shown: this.x.domain, full: this.full });
    if (next === undefined) return;
    e.preventDefault();
    if (next) this.onBrush?.(next);
    else this.onReset?.();
    const [a, b] = this.x.domain;
    const [f0, f1] = this.full;
    const what = this.o.xLabel ?? 'step';
    this.readout.textContent = next ? `${what}s ${a}–${b} of ${f0}–${f1}` : `every ${what}, ${f0}–${f1}`;
  }

  private drawDots(l: Line, values: number[], x: Scale, y: Scale): void {
    const g = svg('g', { 'data-key': l.key });
    l.points.forEach((p, k) => {
      const dot = svg('circle', { class: 'dot', cx: x(p.step), cy: y(values[k]), r: 3.5 });
      if (l.colour) dot.setAttribute('fill', l.colour);
      dot.append(svg('title', {}, this.describe(l, values, k)));
      dot.addEventListener('pointerenter', () => {
        this.readout.textContent = `${this.o.xLabel ?? 'step'} ${p.step} · ${this.describe(l, values, k)}`;
      });
      g.append(dot);
    });
    this.dots.append(g);
  }

  private describe(l: Line, values: number[], k: number): string {
    const detail = l.detail?.(k);
    return `${l.label} ${(this.o.yFormat ?? formatValue)(values[k])}${detail ? ` (${detail})` : ''}`;
  }

  private listen(): void {
    const px = (e: MouseEvent) => {
      const box = this.svg.getBoundingClientRect();
      return ((e.clientX - box.left) / box.width) * this.o.width;
    };
    const range: Range = [M.left, this.o.width - M.right];
    this.svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || !this.x || px(e) < range[0] || px(e) > range[1]) return;
      this.dragFrom = px(e);
      this.svg.setPointerCapture(e.pointerId);
    });
    this.svg.addEventListener('pointermove', (e) => {
      const at = px(e);
      if (this.dragFrom !== undefined && this.onBrush) {
        const [a, b] = [
          Math.max(range[0], Math.min(this.dragFrom, at)),
          Math.min(range[1], Math.max(this.dragFrom, at)),
        ];
        setAttrs(this.brush, { x: a, width: b - a });
        this.brush.classList.remove('hidden');
      }
      if (!(e.target instanceof SVGCircleElement)) this.hover(at);
    });
    this.svg.addEventListener('pointerup', (e) => {
      const from = this.dragFrom;
      this.dragFrom = undefined;
      this.brush.classList.add('hidden');
      if (from === undefined || !this.x) return;
      const r = brushToRange(from, px(e), this.x.domain, range);
      if (r && this.onBrush) this.onBrush(r);
      else if (!r && this.onPick) {
        const at = this.nearestStep(
          this.x.domain[0] + ((px(e) - range[0]) / (range[1] - range[0])) * (this.x.domain[1] - this.x.domain[0]),
        );
        if (at !== undefined) this.onPick(at);
      }
    });
    this.svg.addEventListener('dblclick', () => this.onReset?.());
    this.svg.addEventListener('pointerleave', () => this.cursor.classList.add('hidden'));
  }

  private nearestStep(v: number): number | undefined {
    const s = this.shown.find((s) => s.steps.length);
    return s?.steps[nearest(s.steps, v)];
  }

  /** Read out every shown line's value at the step nearest pixel `at`. */
  private hover(at: number): void {
    const x = this.x;
    if (!x || at < M.left || at > this.o.width - M.right) return;
    const [d0, d1] = x.domain;
    const v = d0 + ((at - M.left) / (this.o.width - M.left - M.right)) * (d1 - d0);
    const step = this.nearestStep(v);
    if (step === undefined) return;
    const parts: string[] = [];
    for (const { l, values, steps } of this.shown) {
      const k = nearest(steps, step);
      if (steps[k] === step) parts.push(this.describe(l, values, k));
    }
    setAttrs(this.cursor, { x1: x(step), x2: x(step) });
    this.cursor.classList.remove('hidden');
    this.readout.textContent = `${this.o.xLabel ?? 'step'} ${step} · ${parts.join(' · ')}`;
  }
}
