// Hugging Face config.json <-> ModelConfig. Reading takes the Llama family
// (LlamaForCausalLM: Llama 2/3.x, SmolLM2, TinyLlama) and Qwen2ForCausalLM (Qwen2, 2.5) with
// transformers' defaults for absent fields; anything the model code does not implement
// (another architecture, activation, rope scaling, MLP biases, sliding windows) is refused
// naming the field. Writing gives the same fields back, plus the tokenizer's ids.
import { InputError, parseWith } from '../../protocol/errors';
import { type ModelFamily, SUPPORTED_ARCHITECTURES, supportedArchitecture } from '../../protocol/modelFolder';
import { headDim, kvHeads, ModelConfig, type RopeScaling, tiedEmbeddings } from './modelConfig';

/** transformers' defaults where the file is silent (LlamaConfig / Qwen2Config). */
const DEFAULT_MAX_POSITIONS = { llama: 2048, qwen2: 32768 } as const;

type Raw = Record<string, unknown>;

function architecture(raw: Raw, file: string): ModelFamily {
  const found = supportedArchitecture(raw);
  if (found) return found.family;
  throw new InputError(
    { file, field: 'architectures' },
    `${SUPPORTED_ARCHITECTURES.join(' or ')} (the Llama and Qwen2 families are supported; got ${JSON.stringify(raw.architectures ?? raw.model_type ?? null)})`,
  );
}

function ropeScaling(raw: Raw, file: string): RopeScaling | undefined {
  // transformers 5 names it rope_parameters (with rope_theta inside); 4.x rope_scaling.
  const field = raw.rope_parameters !== undefined ? 'rope_parameters' : 'rope_scaling';
  const r = raw[field];
  if (r === undefined || r === null) return undefined;
  if (typeof r !== 'object') throw new InputError({ file, field }, 'an object or null');
  const s = r as Raw;
  const type = s.rope_type ?? s.type ?? 'default';
  const num = (k: string) => {
    if (typeof s[k] !== 'number')
      throw new InputError({ file, field: `${field}.${k}` }, `a number (got ${JSON.stringify(s[k])})`);
    return s[k] as number;
  };
  if (type === 'default') return undefined;
  if (type === 'linear') return { ropeType: 'linear', factor: num('factor') };
  if (type === 'llama3')
    return {
      ropeType: 'llama3',
      factor: num('factor'),
      lowFreqFactor: num('low_freq_factor'),
      highFreqFactor: num('high_freq_factor'),
      originalMaxPositionEmbeddings: num('original_max_position_embeddings'),
    };
  throw new InputError(
    { file, field: `${field}.rope_type` },
    `rope scaling "default", "linear" or "llama3" (got ${JSON.stringify(type)}, which this trainer does not implement)`,
  );
}

/** The ModelConfig of a Hugging Face config.json (already parsed); errors name `file` and the field. */
export function modelConfigFromHf(raw: Raw, file: string): ModelConfig {
  const modelType = architecture(raw, file);
  const int = (k: string, fallback?: number): number => {
    const v = raw[k] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new InputError({ file, field: k }, `a positive integer (got ${JSON.stringify(raw[k] ?? null)})`);
    return v;
  };
  const unsupported = (k: string, ok: (v: unknown) => boolean, what: string) => {
    if (raw[k] !== undefined && raw[k] !== null && !ok(raw[k]))
      throw new InputError(
        { file, field: k },
        `${what} (got ${JSON.stringify(raw[k])}, which this trainer does not implement)`,
      );
  };
  unsupported('hidden_act', (v) => v === 'silu', '"silu" (SwiGLU)');
  unsupported('mlp_bias', (v) => v === false, 'false (no MLP biases)');
  unsupported('use_sliding_window', (v) => v === false, 'false (full attention)');
  const positive = (k: string, v: unknown): number => {
    if (typeof v !== 'number' || !(v > 0))
      throw new InputError({ file, field: k }, `a positive number (got ${JSON.stringify(v)})`);
    return v;
  };
  const hidden = int('hidden_size');
  const heads = int('num_attention_heads');
  const ropeParams = (raw.rope_parameters ?? {}) as Raw;
  const scaling = ropeScaling(raw, file);
  const c: ModelConfig = {
    vocabSize: int('vocab_size'),
    hiddenSize: hidden,
    intermediateSize: int('intermediate_size'),
    numHiddenLayers: int('num_hidden_layers'),
    numAttentionHeads: heads,
    maxPositionEmbeddings: int('max_position_embeddings', DEFAULT_MAX_POSITIONS[modelType]),
    ropeTheta: positive('rope_theta', raw.rope_theta ?? ropeParams.rope_theta ?? 10000),
    rmsNormEps: positive('rms_norm_eps', raw.rms_norm_eps ?? 1e-6),
    modelType,
    numKeyValueHeads: int('num_key_value_heads', heads),
    tieWordEmbeddings: raw.tie_word_embeddings === true,
    ...(raw.head_dim !== undefined && raw.head_dim !== null && raw.head_dim !== hidden / heads
      ? { headDim: int('head_dim') }
      : {}),
    ...(modelType === 'llama' && raw.attention_bias === true ? { attentionBias: true } : {}),
    ...(scaling ? { ropeScaling: scaling } : {}),
  };
  // The schema's own checks, said in the file's words.
  if (heads % kvHeads(c) !== 0)
    throw new InputError(
      { file, field: 'num_key_value_heads' },
      `a divisor of num_attention_heads ${heads} (got ${kvHeads(c)}): each key/value head serves a whole group of query heads`,
    );
  if (headDim(c) % 2 !== 0)
    throw new InputError(
      { file, field: c.headDim ? 'head_dim' : 'num_attention_heads' },
      `an even head width (got ${headDim(c)}): rotate-half RoPE splits each head in two`,
    );
  return parseWith(ModelConfig, c, file);
}

/** Token ids written into config.json (and generation_config.json). */
export interface TokenIds {
  bosTokenId: number | null;
  eosTokenId: number;
  padTokenId: number;
  /** Every token that ends a generation (generation_config.json's eos_token_id). */
  stopIds: readonly number[];
}

/** config.json for a ModelConfig: Hugging Face's names, every field the architecture reads. */
export function hfConfigJson(c: ModelConfig, ids: TokenIds): Record<string, unknown> {
  const qwen = c.modelType === 'qwen2';
  const s = c.ropeScaling;
  return {
    architectures: [qwen ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'],
    model_type: qwen ? 'qwen2' : 'llama',
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numHiddenLayers,
    num_attention_heads: c.numAttentionHeads,
    num_key_value_heads: kvHeads(c),
    head_dim: headDim(c),
    vocab_size: c.vocabSize,
    max_position_embeddings: c.maxPositionEmbeddings,
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    rope_scaling: !s
      ? null
      : s.ropeType === 'linear'
        ? { rope_type: 'linear', factor: s.factor }
        : {
            rope_type: 'llama3',
            factor: s.factor,
            low_freq_factor: s.lowFreqFactor,
            high_freq_factor: s.highFreqFactor,
            original_max_position_embeddings: s.originalMaxPositionEmbeddings,
          },
    tie_word_embeddings: tiedEmbeddings(c),
    ...(qwen ? { use_sliding_window: false } : { attention_bias: c.attentionBias ?? false, mlp_bias: false }),
    hidden_act: 'silu',
    torch_dtype: 'float32',
    bos_token_id: ids.bosTokenId,
    eos_token_id: ids.eosTokenId,
    pad_token_id: ids.padTokenId,
  };
}

/** generation_config.json: stop at every end token, greedy as the evaluation decodes. */
export function generationConfigJson(ids: TokenIds): Record<string, unknown> {
  return {
    bos_token_id: ids.bosTokenId,
    eos_token_id: ids.stopIds.length === 1 ? ids.stopIds[0] : [...ids.stopIds],
    pad_token_id: ids.padTokenId,
    do_sample: false,
  };
}
