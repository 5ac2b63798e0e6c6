// One SOLAR training step timed as a user's run takes it (forward, backward, AdamW), and
// the batches every bench uses: 4 parallel items x 7 languages of the example training
// set, at most 192 tokens (bench/run.ts, bench/scaling.ts).
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { OptimizerConfig } from '../protocol/runConfig';
import { loadParallelJsonl } from '../trainer/data/load';
import { initParams, paramGrads } from '../trainer/model/model';
import type { ModelConfig } from '../trainer/model/modelConfig';
import { type Batch, batchIndices, makeBatch } from '../trainer/train/batches';
import { computeLoss } from '../trainer/train/objective';
import { AdamW } from '../trainer/train/optimizer';

export const ROOT = path.resolve(__dirname, '..');
export const LANGS = ['en', 'es', 'fr', 'zh', 'sw', 'yo', 'te'];
export const BATCH_ITEMS = 4;
export const MAX_SEQ = 192;

export interface Figures {
  /** Median wall time of a step, ms (the first step, which warms caches, left out). */
  stepMs: number;
  /** Non-padding tokens per second. */
  tokensPerSec: number;
  /** Peak resident set size of the process so far, MB. */
  peakMB: number;
}

/** Three batches of the example training set (seeds 1-3): `items` parallel items each (4: ~18 rows x ~184 tokens). */
export function benchBatches(items = BATCH_ITEMS): Batch[] {
  const all = loadParallelJsonl(path.join(ROOT, 'examples', 'data', 'train.parallel.jsonl'));
  return [1, 2, 3].map((s) =>
    makeBatch(
      batchIndices(all.length, items, 0, s).map((i) => all[i]),
      { languages: LANGS, pivot: 'en', maxSeqLen: MAX_SEQ, pool: 'response' },
    ),
  );
}

/** Average rows and sequence length of the batches (what the PyTorch reference is given). */
export function batchShape(batches: Batch[]): { rows: number; seq: number } {
  const rows = Math.round(batches.reduce((n, b) => n + b.R, 0) / batches.length);
  const seq = Math.round(batches.reduce((n, b) => n + b.T, 0) / batches.length);
  return { rows, seq };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** `steps` timed steps (after one untimed) of SFT (lambda 0) or SOLAR on fresh parameters. */
export function timeSteps(mc: ModelConfig, batches: Batch[], lambda: number, steps: number): Figures {
  const params = initParams(mc, 0);
  const opt = new AdamW(OptimizerConfig.parse({}), params);
  const times: number[] = [];
  let peak = 0;
  for (let i = 0; i < steps + 1; i++) {
    const b = batches[i % batches.length];
    const t0 = performance.now();
    const { value, grads } = paramGrads(
      params,
      () => computeLoss(params, mc, b, { lambda, tau: 1, topK: 0, pool: 'response', symmetric: false }).loss,
    );
    opt.apply(params, grads, i + 1, 1e-3);
    value.dataSync();
    tf.dispose([value, ...grads.values()]);
    if (i > 0) times.push(performance.now() - t0); // the first step warms caches up
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const tokens = batches.reduce((n, b) => n + b.tokens, 0) / batches.length;
  tf.dispose([...params.values()]);
  opt.dispose();
  const ms = median(times);
  return { stepMs: ms, tokensPerSec: (tokens / ms) * 1000, peakMB: peak / 2 ** 20 };
}
