// The run config (`*.solar.json`): plain data, one line of description per field.
// The descriptions travel into the generated JSON Schema (protocol/runConfig.schema.json)
// so the editor shows them on hover and completion.
import { z } from 'zod';
import { LanguageCode } from './dataset';

export const MODEL_PRESETS = ['tiny', 'small'] as const;
/** The TensorFlow.js backends a run can use (status.json says which one it got). */
export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
/** What a config may ask for: a backend, or `auto` (the fastest that loads). */
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
/** The projections of a Llama / Qwen2 layer a LoRA adapter can sit on (PEFT's target_modules names). */
export const LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;

export const LoraConfig = z.strictObject({
  rank: z
    .number()
    .int()
    .min(1)
    .max(256)
    .default(8)
    .describe('r: inner width of each adapter (A is r x in, B is out x r). Default 8.'),
  alpha: z
    .number()
    .positive()
    .default(16)
    .describe("lora_alpha: the adapter's output is scaled by alpha / rank. Default 16."),
  targets: z
    .array(z.enum(LORA_TARGETS))
    .min(1)
    .refine((t) => new Set(t).size === t.length, 'each projection at most once')
    .default([...LORA_TARGETS])
    .describe(
      'Projections that get adapters (PEFT target_modules): q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj. Default: all seven.',
    ),
});

const ModelFields = z
  .strictObject({
    preset: z
      .enum(MODEL_PRESETS)
      .optional()
      .describe(
        'Built-in byte-level Llama-style model: tiny (d 128, 4 layers) or small (d 256, 6 layers). The default, tiny, unless path is given.',
      ),
    path: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A pretrained Hugging Face model folder instead of a preset (Llama or Qwen2 family: config.json, model.safetensors or shards with model.safetensors.index.json, tokenizer.json), relative to this config file.',
      ),
    maxSeqLen: z
      .number()
      .int()
      .min(16)
      .max(4096)
      .default(256)
      .describe('Longest sequence (prompt + response tokens); longer items are truncated.'),
    freezeEmbeddings: z
      .boolean()
      .optional()
      .describe(
        'Keep the input embedding (and an untied output layer) fixed: no gradients or optimizer state for the largest matrices of a pretrained model. Default false.',
      ),
    trainLayers: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'Train only the top N transformer layers (and the final norm); the layers below stay fixed. Default: every layer. With lora: only the top N layers get adapters.',
      ),
    lora: LoraConfig.optional().describe(
      'Train low-rank adapters (LoRA) on the attention and MLP projections instead of the weights: every base weight stays fixed (freezeEmbeddings is implied), and checkpoints add adapter_model.safetensors + adapter_config.json in the PEFT layout.',
    ),
  })
  .refine((m) => !(m.preset && m.path), { message: 'either preset or path, not both', path: ['path'] });

/**
 * A model is a built-in preset (tiny when neither preset nor path is given) or a pretrained
 * folder. Typed as its fields both ways: a preprocess step's input would otherwise be
 * `unknown`, and drafts of a config (RunConfigInput) would go unchecked.
 */
export const ModelConfig = z.preprocess(
  (raw) =>
    raw && typeof raw === 'object' && !('path' in raw) && !('preset' in raw) ? { ...raw, preset: 'tiny' } : raw,
  ModelFields,
) as unknown as z.ZodType<z.output<typeof ModelFields>, z.input<typeof ModelFields>>;

export const DataConfig = z.strictObject({
  train: z.string().min(1).describe('Training set, a *.parallel.jsonl file (relative to this config file).'),
  eval: z
    .string()
    .min(1)
    .optional()
    .describe('Evaluation set, a *.parallel.jsonl file (relative to this config file).'),
  evalSize: z
    .number()
    .int()
    .min(1)
    .default(64)
    .describe('Items sampled from the eval set for each periodic evaluation (keeps it cheap).'),
});

export const ObjectiveConfig = z.strictObject({
  lambda: z.number().min(0).default(0.5).describe('Weight of the SOLAR alignment loss; 0 gives exactly plain SFT.'),
  tau: z.number().positive().default(1).describe('Softmax temperature for soft tokens: p = softmax(logits / tau).'),
  topK: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Keep only the top-k logits (renormalised) in each soft token; 0 = full vocabulary.'),
  pool: z
    .enum(['response', 'all'])
    .default('response')
    .describe('Positions averaged into the soft-token summary: response only, or prompt + response.'),
  symmetric: z
    .boolean()
    .default(false)
    .describe('Let the alignment gradient flow into the English pivot too (default: stop-gradient on the pivot).'),
});

export const OptimizerConfig = z.strictObject({
  lr: z.number().positive().default(3e-3).describe('Peak learning rate of AdamW.'),
  minLrRatio: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe('Cosine schedule floor, as a fraction of the peak learning rate.'),
  warmupSteps: z.number().int().min(0).default(20).describe('Linear warmup steps before the cosine decay.'),
  weightDecay: z
    .number()
    .min(0)
    .default(0.01)
    .describe('Decoupled weight decay (AdamW) on matrices; norms are not decayed.'),
  beta1: z.number().min(0).max(1).default(0.9).describe('AdamW first-moment decay.'),
  beta2: z.number().min(0).max(1).default(0.95).describe('AdamW second-moment decay.'),
  eps: z.number().positive().default(1e-8).describe('AdamW denominator epsilon.'),
  gradClip: z.number().min(0).default(1).describe('Clip the global gradient norm to this value; 0 disables clipping.'),
});

export const EvaluationConfig = z.strictObject({
  maxNewTokens: z
    .number()
    .int()
    .min(1)
    .default(192)
    .describe('Longest greedy generation per eval prompt, in tokens (bytes).'),
  perLayerSimilarity: z
    .boolean()
    .default(false)
    .describe('Also report the en-vs-language similarity of every layer, not only the last.'),
  probeFolds: z.number().int().min(2).default(5).describe('Folds of the linear language-ID probe.'),
});

export const RunConfig = z.strictObject({
  $schema: z.string().optional().describe('Path or URL of this JSON Schema (editor support only).'),
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"')
    .optional()
    .describe('Run name; the run id is <name>-<timestamp>. Defaults to the config file name.'),
  model: ModelConfig.default({ preset: 'tiny', maxSeqLen: 256 }).describe('Which model to train.'),
  data: DataConfig.describe('Parallel datasets.'),
  pivot: LanguageCode.default('en').describe('The pivot language every other language is aligned to.'),
  languages: z
    .array(LanguageCode)
    .min(1)
    .optional()
    .describe('Languages to train on (default: every language in the training set).'),
  lowResource: z
    .array(LanguageCode)
    .default([])
    .describe('Languages reported as low-resource (their mean accuracy is shown separately).'),
  objective: ObjectiveConfig.default({ lambda: 0.5, tau: 1, topK: 0, pool: 'response', symmetric: false }).describe(
    'The SOLAR objective.',
  ),
  optimizer: OptimizerConfig.default({
    lr: 3e-3,
    minLrRatio: 0.1,
    warmupSteps: 20,
    weightDecay: 0.01,
    beta1: 0.9,
    beta2: 0.95,
    eps: 1e-8,
    gradClip: 1,
  }).describe('AdamW with warmup + cosine schedule.'),
  evaluation: EvaluationConfig.default({ maxNewTokens: 192, perLayerSimilarity: false, probeFolds: 5 }).describe(
    'How evaluations measure accuracy and representations.',
  ),
  steps: z.number().int().min(1).default(200).describe('Total optimiser steps.'),
  batchSize: z
    .number()
    .int()
    .min(1)
    .default(4)
    .describe('Parallel items per step; each brings all of its languages, so rows = items x languages.'),
  evalEvery: z.number().int().min(0).default(0).describe('Evaluate every N steps (0 = only at the start and the end).'),
  checkpointEvery: z
    .number()
    .int()
    .min(0)
    .default(100)
    .describe('Write a checkpoint every N steps (0 = only at the end).'),
  seed: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Seed for initialisation and data order: the same seed gives the same run.'),
  backend: z
    .enum(BACKEND_CHOICES)
    .default('auto')
    .describe(
      'TensorFlow.js backend: auto picks tensorflow (GPU, then CPU), else webgpu (a GPU through Dawn), else wasm, else cpu.',
    ),
});
export type RunConfig = z.infer<typeof RunConfig>;
export type RunConfigInput = z.input<typeof RunConfig>;
export type ObjectiveConfig = z.infer<typeof ObjectiveConfig>;
export type OptimizerConfig = z.infer<typeof OptimizerConfig>;
export type EvaluationConfig = z.infer<typeof EvaluationConfig>;
export type LoraConfig = z.infer<typeof LoraConfig>;
export type LoraTarget = (typeof LORA_TARGETS)[number];
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type Backend = (typeof BACKENDS)[number];
export type ModelPreset = (typeof MODEL_PRESETS)[number];
