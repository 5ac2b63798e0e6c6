// How much memory a training step will need, estimated before anything starts, so a
// config that cannot fit is refused with the figure (exit 2) instead of dying a minute in
// with "memory access out of bounds", "Aborted()" or a stack overflow.
//
// The step's largest batch is bounded from the data itself: R rows (the `batchSize` items
// with the most configured languages, one row per language) padded to T tokens (the
// longest encoded row, at most maxSeqLen). Per row, what tfjs holds at the peak of the
// backward pass: per layer, attention scores and their softmax, masks and gradients
// (bytes per element of H·T·T) and the residual, attention and MLP activations with their
// gradients (bytes per T·d); the logits, softmaxes, soft tokens and their gradients (bytes
// per T·V). The coefficients were fitted to the wasm heap after two real SOLAR steps
// (2026-11-24, every row of every item at full length; scratch/memcal.ts and memcalHf.ts:
// build a batch, step twice, read the heap size), after the tape's clones began sharing
// memory and AdamW's moments left the heap: tiny at R·T = 7·512, 14·256, 14·512, 28·256,
// 28·512 gave 995, 754, 1927, 1439, 3774 MiB; small at 14·256 2114 MiB; the ~100M bench
// model at 4·159 2957 MiB; the Qwen2 fixture (151936-entry vocabulary) at 2·64, 4·64,
// 2·128 601, 1069, 1070 MiB (504 with the embedding frozen). The least-squares fit, with
// MARGIN, errs high on every one of them, by 7-29%.
import * as os from 'node:os';
import type { ParallelItem } from '../../protocol/dataset';
import type { RunConfig } from '../../protocol/runConfig';
import { adapterShapes } from '../model/lora';
import { paramShapes } from '../model/model';
import { type ModelConfig, presetConfig } from '../model/modelConfig';
import { BYTE_TOKENIZER, type Tokenizer } from '../model/tokenizer';

/** Bytes per attention-score element (H·T·T per row and layer) at the step's peak. */
const PER_SCORE = 16;
/** Bytes per hidden unit per token per layer (residual, attention and MLP activations, grads). */
const PER_HIDDEN = 245;
/** Bytes per vocabulary entry per token (logits, softmaxes, soft tokens, grads). */
const PER_VOCAB = 22;
/**
 * Per trained parameter on wasm: weights, gradients and one transient (AdamW updates in
 * place and keeps its moments outside the heap: trainer/backend/wasmAdamW.ts).
 */
const PER_PARAM_WASM = 3 * 4;
/** Elsewhere: weights, gradients, AdamW's two moments and the update's temporaries. */
const PER_PARAM = 6 * 4;
/** Per frozen parameter: the weights alone. */
const PER_FROZEN_PARAM = 4;
/** Node, tfjs and the datasets before the first tensor (bytes). */
const BASELINE = 160 * 2 ** 20;
const MARGIN = 1.1;
/** WebAssembly memory is 32-bit: the wasm backend's heap cannot pass 4 GiB. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

export interface MemoryEstimate {
  /** Estimated peak bytes of one training step. */
  bytes: number;
  /** The ceiling it is checked against, and what sets it. */
  limitBytes: number;
  limitWhat: string;
}

/** The largest batch a run can draw: rows and padded length (tokens per row). */
export interface BatchShape {
  rows: number;
  tokens: number;
}

/** The worst batch `config` can draw from `items`: the items with most languages, the longest row. */
export function largestBatch(
  config: RunConfig,
  items: ParallelItem[],
  tokenizer: Tokenizer = BYTE_TOKENIZER,
): BatchShape {
  const languages = config.languages ?? [];
  const counts: number[] = [];
  let longest = 1;
  for (const item of items) {
    let n = 0;
    for (const lang of languages) {
      const entry = item.langs[lang];
      if (!entry) continue;
      n++;
      // Inputs are ids[0..n-2]: the padded length is the longest encoded row minus one.
      longest = Math.max(
        longest,
        tokenizer.encodePair(entry.prompt, entry.response, config.model.maxSeqLen).ids.length - 1,
      );
    }
    counts.push(n);
  }
  counts.sort((a, b) => b - a);
  const rows = counts.slice(0, config.batchSize).reduce((a, b) => a + b, 0);
  return { rows: Math.max(rows, 1), tokens: Math.min(longest, config.model.maxSeqLen) };
}

/**
 * `mc`: the model's config (default: the config's preset, or a pretrained folder's sizes);
 * `trained`: the parameters that train (default: all), the rest cost only their weights.
 * With LoRA (mc.lora) the adapters are parameters too: the trained ones, beside a fixed base.
 */
export function estimateTrainingMemory(
  config: RunConfig,
  shape: BatchShape,
  mc: ModelConfig = presetConfig(config.model.preset ?? 'tiny', config.model.maxSeqLen),
  trained?: readonly string[],
): MemoryEstimate {
  const { rows: R, tokens: T } = shape;
  const { hiddenSize: d, numAttentionHeads: H, numHiddenLayers: L, vocabSize: V } = mc;
  const perRow = L * (PER_SCORE * H * T * T + PER_HIDDEN * T * d) + PER_VOCAB * T * V;
  const sizes = new Map([...paramShapes(mc), ...adapterShapes(mc)].map(([n, s]) => [n, s.reduce((a, b) => a * b, 1)]));
  const all = [...sizes.values()].reduce((a, b) => a + b, 0);
  const training = trained ? trained.reduce((n, name) => n + (sizes.get(name) ?? 0), 0) : all;
  // `auto` may end up on wasm (it does wherever tfjs-node is not installed): hold it to wasm's ceiling.
  const onWasm = config.backend === 'wasm' || config.backend === 'auto';
  const paramBytes = (onWasm ? PER_PARAM_WASM : PER_PARAM) * training + PER_FROZEN_PARAM * (all - training);
  const bytes = (R * perRow + paramBytes) * MARGIN + BASELINE;
  return onWasm
    ? { bytes, limitBytes: WASM_HEAP_BYTES, limitWhat: "the wasm backend's 4 GiB heap" }
    : { bytes, limitBytes: os.totalmem(), limitWhat: "this machine's memory" };
}

export function formatBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : `${Math.round(b / 2 ** 20)} MiB`;
}
