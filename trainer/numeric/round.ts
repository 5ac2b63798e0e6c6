// Rounding of the figures written to metrics.jsonl and eval files.

/** 6 significant digits: enough for curves, short lines in metrics.jsonl. */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}
