// A line chart over steps (or layers) as SVG, shared by every chart of the panel. It is
// built once; draw() redraws the axes and reuses each line's path element by key, so a
// live delta only changes `d`. Optional: point markers (with the counts behind a value),
// dashed reference lines (chance), a vertical mark at the selected step, and on the x
// axis a drag to select a range (zoom), a click to pick a point, a double-click to reset.
// Pointer positions are read in viewBox units, so the chart may be drawn at any width.
import { h, setAttrs, svg } from '../dom';
import { type AxesOptions, drawAxes, drawGuides, type Guides, M } from './chartAxes';
import { extent, formatValue, linearScale, logScale, type Scale } from './scales';
import { nearest, type Point } from './series';
import { brushToRange, inside, type Range, visibleSlice } from './zoom';

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
  /** Draw a dot at each point (sparse series such as evals). */
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
}

let nextId = 0;

export class LineChart {
  readonly svg: SVGSVGElement;
  readonly readout = h('div', '\u00a0', 'readout');
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
  private x?: Scale;
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
    this.listen();
  }

  draw(frame: Frame): void {
    const { width: W, height: H } = this.o;
    const lines = frame.lines.map((l) => ({
      l,
      values: l.values ?? l.points.map((p) => p.value),
      steps: l.points.map((p) => p.step),
    }));
    this.shown = lines;
    const xDomain = frame.x ?? extent(lines.flatMap((s) => s.steps));
    const shown = lines.map((s) => {
      const [i0, i1] = visibleSlice(s.steps, xDomain);
      return { ...s, i0, i1 };
    });
    const x = linearScale(xDomain, [M.left, W - M.right]);
    let y: Scale;
    if (frame.y) y = linearScale(frame.y, [H - M.bottom, M.top]);
    else {
      const inView = shown.flatMap(({ l, values, i0, i1 }) =>
        values.slice(i0, i1).filter((_, k) => inside(l.points[i0 + k].step, xDomain)),
      );
      const [y0, y1] = extent(inView.filter((v) => !frame.log || v > 0));
      y = frame.log
        ? logScale([y0, y1], [H - M.bottom, M.top])
        : linearScale([Math.min(0, y0), y1 * 1.05 || 1], [H - M.bottom, M.top]);
    }
    this.x = x;
    drawAxes(this.axes, x, y, this.o);
    const keep = new Set<Element>();
    this.dots.replaceChildren();
    for (const { l, values, i0, i1 } of shown) {
      let path = this.paths.querySelector<SVGPathElement>(`path[data-key="${CSS.escape(l.key)}"]`);
      if (!path) {
        path = svg('path', { 'data-key': l.key });
        this.paths.append(path);
      }
      let d = '';
      for (let k = i0; k < i1; k++)
        d += `${k > i0 ? 'L' : 'M'}${x(l.points[k].step).toFixed(1)},${y(values[k]).toFixed(1)}`;
      const cls = `series${l.dashed ? ' low' : ''}${l.colour ? '' : ' total'}`;
      setAttrs(path, { d, class: cls, 'data-label': l.label });
      if (l.colour) path.setAttribute('stroke', l.colour);
      else path.removeAttribute('stroke');
      keep.add(path);
      if (l.markers) this.drawDots(l, values, x, y);
    }
    for (const p of [...this.paths.children]) if (!keep.has(p)) p.remove();
    drawGuides(this.extras, x, y, frame, this.o);
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
