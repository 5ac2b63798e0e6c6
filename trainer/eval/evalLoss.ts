// Per-language eval loss: response-token cross-entropy of a fixed, seeded sample of the
// eval set. Forward passes only and the CE only (no alignment term), over rows packed by
// length (rowPasses.ts), so the figure is the same however the rows are batched.
import * as tf from '@tensorflow/tfjs-core';
import type { ParallelItem } from '../../protocol/dataset';
import type { Params } from '../model/model';
import type { ModelConfig } from '../model/modelConfig';
import { BYTE_TOKENIZER } from '../model/tokenizer';
import { mixSeed, mulberry32, permutation } from '../numeric/rng';
import { round } from '../numeric/round';
import type { BatchOptions } from '../train/batches';
import { responseCe } from '../train/objective';
import { defaultTokensPerPass, type PassRow, packRows, rowBatch, rowLength } from '../train/rowPasses';

/** The same `size` items at every evaluation of a run, so curves compare like with like. */
export function evalSample(items: ParallelItem[], size: number, seed: number): ParallelItem[] {
  if (size >= items.length) return items;
  return permutation(mulberry32(mixSeed(seed, 0xe7a1)), items.length)
    .slice(0, size)
    .map((i) => items[i]);
}

/**
 * language -> summed response CE over that language's response tokens (nats/token), for
 * the languages with any. A row longer than the context is cut as training cuts it.
 */
export function evalLoss(
  params: Params,
  c: ModelConfig,
  items: ParallelItem[],
  opts: BatchOptions,
  tokensPerPass = defaultTokensPerPass(c),
): Record<string, number> {
  const tok = opts.tokenizer ?? BYTE_TOKENIZER;
  // One row per (item, language) with a response; rows without one have no loss tokens.
  const rows: (PassRow & { length: number })[] = [];
  for (const it of items) {
    for (const lang of opts.languages) {
      const entry = it.langs[lang];
      if (entry?.response === undefined) continue;
      rows.push({ lang, entry, length: Math.min(rowLength(entry, tok), opts.maxSeqLen) });
    }
  }
  const ceSum: Record<string, number> = {};
  const tokens: Record<string, number> = {};
  for (const pass of packRows(rows, tokensPerPass)) {
    const b = rowBatch(pass, opts);
    const [rowCe, rowTokens] = tf.tidy(() => {
      const parts = responseCe(params, c, b);
      return [parts.rowCe.dataSync(), parts.rowTokens.dataSync()];
    });
    b.rowLang.forEach((l, r) => {
      ceSum[l] = (ceSum[l] ?? 0) + rowCe[r];
      tokens[l] = (tokens[l] ?? 0) + rowTokens[r];
    });
  }
  const out: Record<string, number> = {};
  for (const l of Object.keys(ceSum)) if (tokens[l] > 0) out[l] = round(ceSum[l] / tokens[l]);
  return out;
}
