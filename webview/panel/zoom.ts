// Zoom on a chart's x axis (training steps), as pure maths: the step range a drag across
// the plot selects, and which points to draw for a shown range. Unit-tested; the line
// chart turns pointer positions (viewBox pixels) into calls of these.

export type Range = [number, number];

/** A saved zoom: two finite numbers, the first below the second. */
export function isRange(v: unknown): v is Range {
  return (
    Array.isArray(v) &&
    v.length === 2 &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
    (v[0] as number) < (v[1] as number)
  );
}

export function inside(v: number, [d0, d1]: Range): boolean {
  return v >= d0 && v <= d1;
}

/** The value at pixel `px` of a linear axis mapping `domain` onto `range` (linearScale inverted). */
export function invert(px: number, [d0, d1]: Range, [r0, r1]: Range): number {
  return r1 === r0 ? d0 : d0 + ((px - r0) / (r1 - r0)) * (d1 - d0);
}

/**
 * The step range a drag from pixel `px0` to `px1` selects on an axis showing `domain` over
 * the pixels `range`: either direction, clamped to the plot, widened to whole steps
 * (training steps are integers). null for a click (under `minPx` pixels) or a range
 * narrower than one step.
 */
export function brushToRange(px0: number, px1: number, domain: Range, range: Range, minPx = 4): Range | null {
  if (Math.abs(px1 - px0) < minPx) return null;
  const [lo, hi] = [Math.min(range[0], range[1]), Math.max(range[0], range[1])];
  const clamp = (px: number) => Math.min(hi, Math.max(lo, px));
  const a = invert(clamp(px0), domain, range);
  const b = invert(clamp(px1), domain, range);
  const s0 = Math.floor(Math.min(a, b) + 1e-9);
  const s1 = Math.ceil(Math.max(a, b) - 1e-9);
  return s1 > s0 ? [s0, s1] : null;
}

/**
 * The slice [i0, i1) of ascending `steps` to draw for the shown `domain`: every step inside,
 * and one neighbour on each side so the line runs to the plot's edge (the clip path cuts
 * the rest). Drawing only this keeps a zoomed path short on a long run.
 */
export function visibleSlice(steps: readonly number[], [d0, d1]: Range): [number, number] {
  const first = bound(steps, (x) => x < d0); // first step >= d0
  const after = bound(steps, (x) => x <= d1); // first step > d1
  return [Math.max(0, first - 1), Math.min(steps.length, after + 1)];
}

/** Index of the first element of ascending `xs` where `before` turns false (xs.length when never). */
function bound(xs: readonly number[], before: (x: number) => boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(xs[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The keyboard's zoom: `shown` scaled by `factor` (0.5 zooms in to half, 2 out to twice)
 * about its middle, in whole steps, moved inside `full` (every step of the data) at its
 * width where it would cross an end, and at
 * least one step wide. null when the result covers `full`: no zoom, the chart shows every
 * step and follows new ones.
 */
export function zoomBy(shown: Range, full: Range, factor: number): Range | null {
  const mid = (shown[0] + shown[1]) / 2;
  const half = Math.max(0.5, ((shown[1] - shown[0]) * factor) / 2);
  return within([Math.floor(mid - half + 1e-9), Math.ceil(mid + half - 1e-9)], full);
}

/** The keyboard's pan: `shown` moved by `fraction` of its width (negative: left), inside `full`. */
export function panBy(shown: Range, full: Range, fraction: number): Range | null {
  const width = shown[1] - shown[0];
  const by = Math.sign(fraction) * Math.max(1, Math.round(Math.abs(fraction) * width));
  return within([shown[0] + by, shown[1] + by], full);
}

/** `r` moved inside `full` at its width where it crosses an end (null: it covers `full`). */
function within(r: Range, full: Range): Range | null {
  const width = r[1] - r[0];
  if (r[0] < full[0]) r = [full[0], full[0] + width];
  if (r[1] > full[1]) r = [full[1] - width, full[1]];
  return fit(r, full);
}

function fit([a, b]: Range, full: Range): Range | null {
  const r: Range = [Math.max(full[0], a), Math.min(full[1], b)];
  if (r[0] <= full[0] && r[1] >= full[1]) return null;
  if (r[1] <= r[0]) return r[0] < full[1] ? [r[0], r[0] + 1] : [r[1] - 1, r[1]];
  return r;
}
