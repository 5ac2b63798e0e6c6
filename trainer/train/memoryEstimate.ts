// How much memory a training step will need, estimated before anything starts, so a
// config that cannot fit is refused with the figure (exit 2) instead of dying a minute in
// with "memory access out of bounds" or a stack overflow.
//
// Per step, in float32 values: parameters, gradients and AdamW's two moments (4P); per
// layer, what the backward pass keeps: attention scores, softmax and their gradient
// (3·R·H·T²), the residual-stream activations (~12·R·T·d) and the MLP's (~4·R·T·F); and
// the logits with softmax, log-softmax and gradient (4·R·T·V), counted for the largest
// batch (every item in every language). tfjs keeps more intermediates than this and the
// wasm heap grows in steps, so the sum is multiplied by OVERHEAD and a process baseline is
// added, calibrated against peak RSS of one real step on wasm (2026-11-24, examples data,
// 7 languages): tiny, batch 4, 192 tokens: 1.06 GB measured, 0.95 GiB estimated; small,
// batch 4, 256 tokens: 2.9 GB measured, 3.3 GiB estimated. It errs high on purpose.
import * as os from 'node:os';
import type { RunConfig } from '../../protocol/runConfig';
import { countParams } from '../model/model';
import { presetConfig } from '../model/modelConfig';

const OVERHEAD = 1.5;
/** Node, tfjs and the datasets before the first tensor (bytes). */
const BASELINE = 256 * 2 ** 20;
/** WebAssembly memory is 32-bit: the wasm backend's heap cannot pass 4 GiB. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

export interface MemoryEstimate {
  /** Estimated peak bytes of one training step. */
  bytes: number;
  /** The ceiling it is checked against, and what sets it. */
  limitBytes: number;
  limitWhat: string;
}

export function estimateTrainingMemory(config: RunConfig, languages: number): MemoryEstimate {
  const mc = presetConfig(config.model.preset, config.model.maxSeqLen);
  const R = config.batchSize * languages; // rows: every item brings each of its languages
  const T = config.model.maxSeqLen;
  const { hiddenSize: d, intermediateSize: F, numAttentionHeads: H, numHiddenLayers: L, vocabSize: V } = mc;
  const perLayer = 3 * R * H * T * T + 12 * R * T * d + 4 * R * T * F;
  const values = 4 * countParams(mc) + L * perLayer + 4 * R * T * V;
  const bytes = values * 4 * OVERHEAD + BASELINE;
  // `auto` may end up on wasm (it does wherever tfjs-node is not installed): hold it to wasm's ceiling.
  const onWasm = config.backend === 'wasm' || config.backend === 'auto';
  return onWasm
    ? { bytes, limitBytes: WASM_HEAP_BYTES, limitWhat: "the wasm backend's 4 GiB heap" }
    : { bytes, limitBytes: os.totalmem(), limitWhat: "this machine's memory" };
}

export function formatBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : `${Math.round(b / 2 ** 20)} MiB`;
}
