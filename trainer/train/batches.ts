// Batches keep parallel groups together: a batch is `batchSize` items, and each item
// brings one row per language it has, because the alignment loss compares a
// translation with its own English pivot. Data order is a pure function of
// (seed, step), so a resumed run sees exactly the batches the uninterrupted run would.
import type { ParallelItem } from '../../protocol/dataset';
import { BYTE_TOKENIZER, type Tokenizer } from '../model/tokenizer';
import { mixSeed, mulberry32, permutation } from '../numeric/rng';

export type PoolMode = 'response' | 'all';

export interface Batch {
  R: number; // rows (item x language)
  T: number; // padded length
  ids: Int32Array; // [R*T] input tokens
  targets: Int32Array; // [R*T] next token (the pad token where none)
  lossMask: Float32Array; // [R*T] 1 where the target is a response token (or <eos>)
  poolMask: Float32Array; // [R*T] 1 at positions whose soft token enters the summary
  rowLang: string[]; // [R]
  rowItem: number[]; // [R] index into the batch's items
  pivotRow: Int32Array; // [R] row of the same item's pivot, -1 when the item has none
  tokens: number; // real (non-pad) tokens, for tokens/s
}

export interface BatchOptions {
  languages: string[]; // languages to use, pivot included
  pivot: string;
  maxSeqLen: number;
  pool: PoolMode;
  /** How rows are laid out (default: the built-in byte-level tokenizer). */
  tokenizer?: Tokenizer;
}

/** Rows for a list of items: every configured language present in the item. */
export function makeBatch(items: ParallelItem[], opts: BatchOptions): Batch {
  const tok = opts.tokenizer ?? BYTE_TOKENIZER;
  const rows: { ids: number[]; responseStart: number; lang: string; item: number }[] = [];
  items.forEach((item, itemIndex) => {
    for (const lang of opts.languages) {
      const entry = item.langs[lang];
      if (!entry) continue;
      const enc = tok.encodePair(entry.prompt, entry.response, opts.maxSeqLen);
      rows.push({ ...enc, lang, item: itemIndex });
    }
  });
  const R = rows.length;
  // Inputs are ids[0..n-2] predicting ids[1..n-1], so T = longest row - 1.
  const T = Math.max(1, ...rows.map((r) => r.ids.length - 1));
  const ids = new Int32Array(R * T).fill(tok.padId);
  const targets = new Int32Array(R * T).fill(tok.padId);
  const lossMask = new Float32Array(R * T);
  const poolMask = new Float32Array(R * T);
  const pivotRow = new Int32Array(R).fill(-1);
  let tokens = 0;
  rows.forEach((row, r) => {
    const n = row.ids.length - 1;
    tokens += row.ids.length;
    for (let t = 0; t < n; t++) {
      ids[r * T + t] = row.ids[t];
      targets[r * T + t] = row.ids[t + 1];
      // Position t predicts token t+1; it is a response position when t+1 >= responseStart.
      const isResponse = t + 1 >= row.responseStart;
      lossMask[r * T + t] = isResponse ? 1 : 0;
      poolMask[r * T + t] = opts.pool === 'all' || isResponse ? 1 : 0;
    }
    pivotRow[r] = rows.findIndex((o) => o.item === row.item && o.lang === opts.pivot);
  });
  return {
    R,
    T,
    ids,
    targets,
    lossMask,
    poolMask,
    pivotRow,
    tokens,
    rowLang: rows.map((r) => r.lang),
    rowItem: rows.map((r) => r.item),
  };
}

/** Item indices of the batch for 1-based `step`: epochs of seeded permutations, concatenated. */
export function batchIndices(nItems: number, batchSize: number, seed: number, step: number): number[] {
  const out: number[] = [];
  let pos = (step - 1) * batchSize;
  let epoch = Math.floor(pos / nItems);
  let perm = permutation(mulberry32(mixSeed(seed, epoch, 0x5eed)), nItems);
  while (out.length < batchSize) {
    const e = Math.floor(pos / nItems);
    if (e !== epoch) {
      epoch = e;
      perm = permutation(mulberry32(mixSeed(seed, epoch, 0x5eed)), nItems);
    }
    out.push(perm[pos % nItems]);
    pos++;
  }
  return out;
}
