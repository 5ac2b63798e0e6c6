// The model's hyperparameters, one schema: field names are Hugging Face LlamaConfig's,
// camelCased (hidden_size -> hiddenSize), so a checkpoint's trainer_state.json and its
// config.json say the same thing in the same words. Validated wherever a checkpoint is
// read (trainer/model/checkpoint.ts). The optional fields are those a pretrained folder
// can set (trainer/model/hfConfig.ts); absent, they mean what the built-in model does:
// Llama, one key/value head per query head, tied embeddings, no biases, plain RoPE.
import { z } from 'zod';
import { LORA_TARGETS, type ModelPreset } from '../../protocol/runConfig';
import { VOCAB_SIZE } from './tokenizer';

/** Names this config had before it took Hugging Face's (checkpoints from SOLAR Studio 0.1). */
const OLD_NAMES = ['dim', 'hiddenDim', 'nLayers', 'nHeads', 'maxSeqLen', 'normEps'];

export const RopeScaling = z.discriminatedUnion('ropeType', [
  z.strictObject({ ropeType: z.literal('linear'), factor: z.number().positive() }),
  z.strictObject({
    ropeType: z.literal('llama3'),
    factor: z.number().positive(),
    lowFreqFactor: z.number().positive(),
    highFreqFactor: z.number().positive(),
    originalMaxPositionEmbeddings: z.number().int().positive(),
  }),
]);
export type RopeScaling = z.infer<typeof RopeScaling>;

/**
 * LoRA adapters a run trains on top of the fixed weights (trainer/model/lora.ts): not part
 * of the Hugging Face config (config.json never carries it), recorded here so a resume,
 * an evaluation and an export know the adapters' shapes and scaling.
 */
export const LoraSettings = z.strictObject({
  /** r: A is [r, in], B is [out, r]. */
  rank: z.number().int().positive(),
  /** The adapter's output is scaled by alpha / rank. */
  alpha: z.number().positive(),
  targets: z.array(z.enum(LORA_TARGETS)).min(1),
  /** The layers with adapters (PEFT's layers_to_transform); absent: every layer. */
  layers: z.array(z.number().int().min(0)).optional(),
});
export type LoraSettings = z.infer<typeof LoraSettings>;

const Fields = z.strictObject({
  /** V: embedding rows (tokens). */
  vocabSize: z.number().int().positive(),
  /** d: width of the residual stream. */
  hiddenSize: z.number().int().positive(),
  /** F: inner width of the SwiGLU MLP. */
  intermediateSize: z.number().int().positive(),
  numHiddenLayers: z.number().int().positive(),
  /** H: attention heads; each head is hiddenSize / H wide. */
  numAttentionHeads: z.number().int().positive(),
  /**
   * Longest sequence the model is meant for (tokens). RoPE has no learned position
   * table, so this only informs config.json; the run config's model.maxSeqLen (how far
   * the data is truncated) sets it.
   */
  maxPositionEmbeddings: z.number().int().positive(),
  /** RoPE base: frequency i of a head is ropeTheta^(-2i / headDim). */
  ropeTheta: z.number().positive(),
  /** Added to mean(x^2) inside RMSNorm. */
  rmsNormEps: z.number().positive(),
  /** 'qwen2' adds biases to the q, k and v projections (absent: 'llama'). */
  modelType: z.enum(['llama', 'qwen2']).optional(),
  /** Grouped-query attention: key/value heads, each shared by numAttentionHeads / this query heads. */
  numKeyValueHeads: z.number().int().positive().optional(),
  /** Width of one head when it is not hiddenSize / numAttentionHeads. */
  headDim: z.number().int().positive().optional(),
  /** The output layer reuses the input embedding (absent: true); false adds lm_head.weight. */
  tieWordEmbeddings: z.boolean().optional(),
  /** Llama's attention_bias: biases on q, k, v and o. */
  attentionBias: z.boolean().optional(),
  /** RoPE frequency scaling (Hugging Face rope_scaling): linear, or Llama 3.1's per-band scheme. */
  ropeScaling: RopeScaling.optional(),
  /** LoRA adapters trained on top of these weights (absent: none). */
  lora: LoraSettings.optional(),
});

export const ModelConfig = z.preprocess(
  (raw, ctx) => {
    const old = raw && typeof raw === 'object' ? OLD_NAMES.filter((k) => k in raw) : [];
    if (old.length)
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `Hugging Face field names (hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, maxPositionEmbeddings, rmsNormEps); ${old.map((k) => `"${k}"`).join(', ')} are the names of an older SOLAR Studio, whose checkpoints this version does not load`,
      });
    return raw;
  },
  // A fractional head width is not even either, so one test covers both conditions.
  Fields.refine((c) => headDim(c) % 2 === 0, {
    message:
      'hiddenSize divisible by numAttentionHeads into an even head width (rotate-half RoPE splits each head in two)',
  }).refine((c) => c.numAttentionHeads % kvHeads(c) === 0, {
    message:
      'numAttentionHeads a multiple of numKeyValueHeads (each key/value head serves a whole group of query heads)',
    path: ['numKeyValueHeads'],
  }),
);
export type ModelConfig = z.infer<typeof Fields>;

/** Width of one attention head, hd = d / H unless the config says otherwise. */
export function headDim(c: ModelConfig): number {
  return c.headDim ?? c.hiddenSize / c.numAttentionHeads;
}

/** KV: key/value heads (= H without grouped-query attention). */
export function kvHeads(c: ModelConfig): number {
  return c.numKeyValueHeads ?? c.numAttentionHeads;
}

/** What a LoRA adapter's output is multiplied by: alpha / rank (PEFT's scaling). */
export function loraScaling(c: ModelConfig): number {
  if (!c.lora) throw new Error('the model config has no LoRA settings, but the parameters hold adapters');
  return c.lora.alpha / c.lora.rank;
}

export function tiedEmbeddings(c: ModelConfig): boolean {
  return c.tieWordEmbeddings ?? true;
}

/** The built-in byte-level presets; maxSeqLen is the run config's model.maxSeqLen. */
export function presetConfig(preset: ModelPreset, maxSeqLen: number): ModelConfig {
  const base = { vocabSize: VOCAB_SIZE, maxPositionEmbeddings: maxSeqLen, ropeTheta: 10000, rmsNormEps: 1e-5 };
  if (preset === 'small')
    return { ...base, hiddenSize: 256, intermediateSize: 704, numHiddenLayers: 6, numAttentionHeads: 8 };
  return { ...base, hiddenSize: 128, intermediateSize: 352, numHiddenLayers: 4, numAttentionHeads: 4 };
}
