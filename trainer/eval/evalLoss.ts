// Per-language eval loss: response-token cross-entropy of a fixed, seeded sample of
// the eval set, in batches of parallel groups like training.
import * as tf from '@tensorflow/tfjs-core';
import type { ParallelItem } from '../../protocol/dataset';
import type { ObjectiveConfig } from '../../protocol/runConfig';
import type { Params } from '../model/model';
import type { ModelConfig } from '../model/modelConfig';
import { mixSeed, mulberry32, permutation } from '../numeric/rng';
import { round } from '../numeric/round';
import { type BatchOptions, makeBatch } from '../train/batches';
import { perLanguage } from '../train/languageStats';
import { computeLoss } from '../train/objective';

/** The same `size` items at every evaluation of a run, so curves compare like with like. */
export function evalSample(items: ParallelItem[], size: number, seed: number): ParallelItem[] {
  if (size >= items.length) return items;
  return permutation(mulberry32(mixSeed(seed, 0xe7a1)), items.length)
    .slice(0, size)
    .map((i) => items[i]);
}

export function evalLoss(
  params: Params,
  c: ModelConfig,
  items: ParallelItem[],
  opts: BatchOptions,
  obj: ObjectiveConfig,
  batchSize: number,
): Record<string, number> {
  const ceSum: Record<string, number> = {};
  const tokens: Record<string, number> = {};
  for (let i = 0; i < items.length; i += batchSize) {
    const b = makeBatch(items.slice(i, i + batchSize), opts);
    const [rowCe, rowTokens] = tf.tidy(() => {
      const parts = computeLoss(params, c, b, obj);
      return [parts.rowCe.dataSync(), parts.rowTokens.dataSync()];
    });
    const s = perLanguage(b, rowCe, rowTokens, new Float32Array(b.R), opts.pivot);
    for (const l of Object.keys(s.ceSum)) {
      ceSum[l] = (ceSum[l] ?? 0) + s.ceSum[l];
      tokens[l] = (tokens[l] ?? 0) + s.tokens[l];
    }
  }
  const out: Record<string, number> = {};
  for (const l of Object.keys(ceSum)) if (tokens[l] > 0) out[l] = round(ceSum[l] / tokens[l]);
  return out;
}
