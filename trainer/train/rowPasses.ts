// Forward-only passes over many rows (evaluation loss, `solar data score`, representations):
// rows, not items, are batched, sorted by length and packed up to a token budget, so a
// Telugu row three times the length of its English pivot pads nobody else, and each pass
// is big enough for the products to run well.
import type { LanguageEntry } from '../../protocol/dataset';
import type { ModelConfig } from '../model/modelConfig';
import type { Tokenizer } from '../model/tokenizer';
import { type Batch, type BatchOptions, makeBatch } from './batches';

/** One language of one item, as a row of a forward pass. */
export interface PassRow {
  lang: string;
  entry: LanguageEntry;
}

/** Tokens of the row uncut: <bos> prompt <sep>, and the response with its end when there is one. */
export function rowLength(entry: LanguageEntry, tok: Tokenizer): number {
  return tok.promptLength(entry.prompt) + (entry.response === undefined ? 0 : tok.responseLength(entry.response));
}

/**
 * One pass's batch, row k of it being rows[k]: a single-language item per row, so makeBatch
 * lays each out as training does (its `languages` are the rows' own).
 */
export function rowBatch(rows: readonly PassRow[], opts: Omit<BatchOptions, 'languages'>): Batch {
  return makeBatch(
    rows.map((r) => ({ id: '', answer: '', langs: { [r.lang]: r.entry } })),
    { ...opts, languages: [...new Set(rows.map((r) => r.lang))] },
  );
}

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
