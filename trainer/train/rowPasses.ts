// Forward-only passes over many rows (evaluation loss, `solar data score`, representations):
// rows, not items, are batched, sorted by length and packed up to a token budget, so a
// Telugu row three times the length of its English pivot pads nobody else, and each pass
// is big enough for the products to run well.
import type { ModelConfig } from '../model/modelConfig';

/** Rows of similar length together (little padding); a pass's rows x its longest row stays within the budget. */
export function packRows<R extends { length: number }>(rows: readonly R[], tokensPerPass: number): R[][] {
  const order = [...rows].sort((a, b) => a.length - b.length);
  const passes: R[][] = [];
  let cur: R[] = [];
  for (const r of order) {
    // Sorted ascending, so r is the longest of the pass it joins.
    if (cur.length && (cur.length + 1) * r.length > tokensPerPass) {
      passes.push(cur);
      cur = [];
    }
    cur.push(r);
  }
  if (cur.length) passes.push(cur);
  return passes;
}

/** A budget that keeps a pass's [rows, T, V] tensors (logits, probabilities) to tens of MB each. */
export function defaultTokensPerPass(c: ModelConfig): number {
  return Math.max(256, Math.min(4096, Math.floor(2 ** 22 / c.vocabSize)));
}
