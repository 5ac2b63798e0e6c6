// Per-language figures of a batch: one step's (or one eval batch's) per-row tensors
// summed into the per-language CE and alignment of a train or eval event.
import { round } from '../numeric/round';
import type { Batch } from './batches';

export interface PerLanguageStats {
  ce: Record<string, number>; // mean response-token CE per language (nats/token)
  align: Record<string, number>; // mean 1 - cos to the pivot per non-pivot language
  ceSum: Record<string, number>; // summed CE, for callers that pool several batches
  tokens: Record<string, number>; // response tokens
}

/** rowCe, rowTokens, rowAlign: [R] arrays read back from the loss tensors. */
export function perLanguage(
  b: Batch,
  rowCe: ArrayLike<number>,
  rowTokens: ArrayLike<number>,
  rowAlign: ArrayLike<number>,
  pivot: string,
): PerLanguageStats {
  const ceSum: Record<string, number> = {};
  const tokens: Record<string, number> = {};
  const alignSum: Record<string, number> = {};
  const alignN: Record<string, number> = {};
  for (let r = 0; r < b.R; r++) {
    const l = b.rowLang[r];
    ceSum[l] = (ceSum[l] ?? 0) + rowCe[r];
    tokens[l] = (tokens[l] ?? 0) + rowTokens[r];
    if (l !== pivot && b.pivotRow[r] >= 0) {
      alignSum[l] = (alignSum[l] ?? 0) + rowAlign[r];
      alignN[l] = (alignN[l] ?? 0) + 1;
    }
  }
  const ce: Record<string, number> = {};
  for (const l of Object.keys(ceSum)) if (tokens[l] > 0) ce[l] = round(ceSum[l] / tokens[l]);
  const align: Record<string, number> = {};
  for (const l of Object.keys(alignSum)) align[l] = round(alignSum[l] / alignN[l]);
  return { ce, align, ceSum, tokens };
}
