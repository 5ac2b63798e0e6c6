// Axes and guides of the line charts (lineChart.ts): y ticks with grid lines, x ticks and
// the x axis' name, dashed reference lines with their labels, and the mark of the selected
// step. Redrawn whole on each update: a few dozen elements.
import { svg } from '../dom';
import { formatValue, type Scale } from './scales';
import { inside } from './zoom';

/** The plot's margins inside the viewBox (room for tick labels). */
export const M = { top: 12, right: 16, bottom: 30, left: 52 };

export interface AxesOptions {
  /** The viewBox size. */
  width: number;
  height: number;
  xLabel?: string;
  yFormat?: (v: number) => string;
  /** Only whole-number x ticks (layers). */
  integerX?: boolean;
}

export function drawAxes(g: SVGGElement, x: Scale, y: Scale, o: AxesOptions): void {
  const { width: W, height: H } = o;
  g.replaceChildren();
  for (const t of y.ticks(5)) {
    g.append(
      svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }),
      svg('text', { class: 'tick', x: M.left - 6, y: y(t) + 4, 'text-anchor': 'end' }, (o.yFormat ?? formatValue)(t)),
    );
  }
  for (const t of x.ticks(6).filter((t) => !o.integerX || Number.isInteger(t))) {
    g.append(svg('text', { class: 'tick', x: x(t), y: H - M.bottom + 16, 'text-anchor': 'middle' }, formatValue(t)));
  }
  g.append(svg('text', { class: 'axis-label', x: W - M.right, y: H - 2, 'text-anchor': 'end' }, o.xLabel ?? 'step'));
}

export interface Guides {
  /** Horizontal reference lines, dashed and labelled (a probe's chance level). */
  refs?: { y: number; label: string }[];
  /** A vertical mark at this x (the selected eval step). */
  mark?: number;
}

export function drawGuides(g: SVGGElement, x: Scale, y: Scale, guides: Guides, o: AxesOptions): void {
  const { width: W, height: H } = o;
  g.replaceChildren();
  for (const r of guides.refs ?? []) {
    g.append(
      svg('line', { class: 'ref', x1: M.left, x2: W - M.right, y1: y(r.y), y2: y(r.y) }),
      svg('text', { class: 'ref-label', x: W - M.right - 2, y: y(r.y) - 4, 'text-anchor': 'end' }, r.label),
    );
  }
  if (guides.mark !== undefined && inside(guides.mark, x.domain)) {
    // Outside a zoom, no mark.
    const mx = x(guides.mark);
    g.append(svg('line', { class: 'selected-step', x1: mx, x2: mx, y1: M.top, y2: H - M.bottom }));
  }
}
