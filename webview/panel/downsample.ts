// Which points of a long series to draw: no more than a few per pixel column. A line of
// 100,000 steps on a plot some 650 viewBox units wide would otherwise be a path of 100,000
// vertices per language, rebuilt on every live delta. Per column this keeps the first,
// lowest, highest and last point (M4 aggregation), so the drawn line looks the same at that
// resolution: spikes stay visible, the ends stay where they are, and x stays in order.
// Pure, unit-tested; lineChart.ts calls it with x in viewBox units.

/**
 * Indices in [from, to), ascending, to draw of a series with x `steps` (ascending) and
 * `values`. Columns start at x = `origin` and are 1 / `perUnit` x wide (`perUnit`: columns
 * per unit of x). A range with no more than four points per column it spans comes back
 * whole (every index), so short series are drawn exactly as they are.
 */
export function minMaxIndices(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  from: number,
  to: number,
  origin: number,
  perUnit: number,
): number[] {
  const out: number[] = [];
  if (to <= from) return out;
  const column = (k: number) => Math.floor((steps[k] - origin) * perUnit);
  if (to - from <= 4 * (column(to - 1) - column(from) + 1)) {
    for (let k = from; k < to; k++) out.push(k);
    return out;
  }
  let bucket = column(from);
  let first = from;
  let lo = from;
  let hi = from;
  const flush = (last: number) => {
    // The four in index order, each once (two or more of them are often the same point).
    const picks = [first, lo, hi, last].sort((a, b) => a - b);
    for (const k of picks) if (out[out.length - 1] !== k) out.push(k);
  };
  for (let k = from + 1; k < to; k++) {
    const b = column(k);
    if (b !== bucket) {
      flush(k - 1);
      bucket = b;
      first = lo = hi = k;
      continue;
    }
    const v = values[k];
    // NaN compares false both ways: a column's low or high is a number when it has one.
    if (v < values[lo] || Number.isNaN(values[lo])) lo = k;
    if (v > values[hi] || Number.isNaN(values[hi])) hi = k;
  }
  flush(to - 1);
  return out;
}
