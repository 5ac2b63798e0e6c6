// LoRA (Hu et al. 2021) as PEFT does it: each targeted projection W [out, in] of a layer
// gets two trainable matrices, A [r, in] and B [out, r], and computes
// h W^T + scaling * (h A^T) B^T with scaling = alpha / r, while W stays fixed. A starts as
// PEFT's kaiming-uniform (a = sqrt(5): U(-1/sqrt(in), 1/sqrt(in))) and B as zeros, so
// step 0 is exactly the base model. The forward pass is `projections` in model.ts; this
// file names and shapes the adapters, initialises them, and merges them into the weights
// (W + scaling * B A) for evaluation and export. Their files are in peftFiles.ts.
import { InputError } from '../../protocol/errors';
import { LORA_TARGETS, type LoraTarget, type RunConfig } from '../../protocol/runConfig';
import { mixSeed, mulberry32 } from '../numeric/rng';
import { type Params, paramShapes, variablesFromArrays } from './model';
import type { LoraSettings, ModelConfig } from './modelConfig';
import type { NamedArray } from './safetensors';

/** Salt of the adapters' random stream, so it never repeats the base weights' init (same seed). */
const INIT_STREAM = 0x104a;

/** The projection's name after `model.layers.<i>.`: q_proj -> self_attn.q_proj, up_proj -> mlp.up_proj. */
export function projectionName(target: LoraTarget): string {
  return ['gate_proj', 'up_proj', 'down_proj'].includes(target) ? `mlp.${target}` : `self_attn.${target}`;
}

/** The LoRA settings a run config asks for: `model.lora`, on the top `model.trainLayers` layers if set. */
export function loraSettings(
  c: ModelConfig,
  m: Pick<RunConfig['model'], 'lora' | 'trainLayers'>,
): LoraSettings | undefined {
  if (!m.lora) return undefined;
  const n = c.numHiddenLayers;
  const layers =
    m.trainLayers === undefined || m.trainLayers >= n
      ? undefined
      : Array.from({ length: m.trainLayers }, (_, i) => n - m.trainLayers! + i);
  // Targets in the model's own order, whatever order the config lists them in.
  const targets = LORA_TARGETS.filter((t) => m.lora!.targets.includes(t));
  return { rank: m.lora.rank, alpha: m.lora.alpha, targets, ...(layers ? { layers } : {}) };
}

/** `c` with the run's LoRA settings recorded (or none). */
export function withLora(c: ModelConfig, m: Pick<RunConfig['model'], 'lora' | 'trainLayers'>): ModelConfig {
  const { lora: _, ...base } = c;
  const lora = loraSettings(c, m);
  return lora ? { ...base, lora } : base;
}

/** The layers that carry adapters. */
export function adaptedLayers(c: ModelConfig): number[] {
  if (!c.lora) return [];
  return c.lora.layers ?? Array.from({ length: c.numHiddenLayers }, (_, i) => i);
}

/**
 * Every adapter's name and shape, layer by layer in target order: A [r, in] then B [out, r]
 * of `model.layers.<i>.<projection>` (named `….lora_A.weight`, `….lora_B.weight`).
 */
export function adapterShapes(c: ModelConfig): [string, number[]][] {
  if (!c.lora) return [];
  const r = c.lora.rank;
  const base = new Map(paramShapes(c));
  const out: [string, number[]][] = [];
  for (const i of adaptedLayers(c))
    for (const t of c.lora.targets) {
      const p = `model.layers.${i}.${projectionName(t)}`;
      const [outWidth, inWidth] = base.get(`${p}.weight`)!;
      out.push([`${p}.lora_A.weight`, [r, inWidth]], [`${p}.lora_B.weight`, [outWidth, r]]);
    }
  return out;
}

/** Whether a parameter name is an adapter's (not a base weight's). */
export function isAdapter(name: string): boolean {
  return /\.lora_[AB]\.weight$/.test(name);
}

/** A rank above a projection's input width adds nothing a smaller one could not: a mistake in the config. */
export function checkLora(c: ModelConfig, file: string): void {
  if (!c.lora) return;
  const base = new Map(paramShapes(c));
  for (const t of c.lora.targets) {
    const inWidth = base.get(`model.layers.0.${projectionName(t)}.weight`)![1];
    if (c.lora.rank > inWidth)
      throw new InputError(
        { file, field: 'model.lora.rank' },
        `at most ${t}'s input width ${inWidth} (got ${c.lora.rank})`,
      );
  }
}

/** PEFT's initialisation from `seed`: A ~ U(-1/sqrt(in), 1/sqrt(in)), B = 0. */
export function initAdapters(c: ModelConfig, seed: number): Map<string, NamedArray> {
  const rand = mulberry32(mixSeed(seed, INIT_STREAM));
  const out = new Map<string, NamedArray>();
  for (const [name, shape] of adapterShapes(c)) {
    const data = new Float32Array(shape[0] * shape[1]);
    if (name.endsWith('.lora_A.weight')) {
      const bound = 1 / Math.sqrt(shape[1]);
      for (let j = 0; j < data.length; j++) data[j] = (2 * rand() - 1) * bound;
    }
    out.set(name, { shape, data });
  }
  return out;
}

/** Trainable variables holding the adapters (checked arrays, adapterShapes order). */
export function adapterParams(c: ModelConfig, arrays: Map<string, NamedArray>): Params {
  return variablesFromArrays(adapterShapes(c), arrays, 'LoRA adapter');
}

/**
 * The weights with the adapters folded in: W + scaling * B A for every adapted projection
 * (the other tensors are shared, not copied). Float64 sums over the rank, one float32
 * rounding per element. Runs without a backend (solar export).
 */
export function mergeAdapters(
  c: ModelConfig,
  weights: Map<string, NamedArray>,
  adapters: Map<string, NamedArray>,
): Map<string, NamedArray> {
  if (!c.lora) return weights;
  const scaling = c.lora.alpha / c.lora.rank;
  const r = c.lora.rank;
  const out = new Map(weights);
  for (const [name] of adapterShapes(c)) {
    if (!name.endsWith('.lora_A.weight')) continue;
    const p = name.slice(0, -'.lora_A.weight'.length);
    const w = weights.get(`${p}.weight`)!;
    const a = adapters.get(name)!.data; // [r, in]
    const b = adapters.get(`${p}.lora_B.weight`)!.data; // [out, r]
    const [outWidth, inWidth] = w.shape;
    const merged = new Float32Array(w.data);
    for (let o = 0; o < outWidth; o++)
      for (let i = 0; i < inWidth; i++) {
        let sum = 0;
        for (let k = 0; k < r; k++) sum += b[o * r + k] * a[k * inWidth + i];
        merged[o * inWidth + i] = w.data[o * inWidth + i] + scaling * sum;
      }
    out.set(`${p}.weight`, { shape: w.shape, data: merged });
  }
  return out;
}
