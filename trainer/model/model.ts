// The model: a decoder-only transformer in the Llama layout, small enough to read in one
// sitting, following Hugging Face's modeling_llama.py (and modeling_qwen2.py, which is the
// same plus q/k/v biases). Pre-norm RMSNorm, rotary positions (rotate-half form,
// trainer/model/rope.ts), causal attention with grouped-query heads, SwiGLU MLP, input and
// output embeddings tied unless the config unties them. Parameters are named exactly as
// Hugging Face names them, so checkpoints are `model.safetensors` a Llama loader
// understands. Each layer is
//
//   x = x + attention(rmsNorm(x))
//   x = x + mlp(rmsNorm(x))
//
// Shapes: B = rows in the batch, S = positions run now (T when teacher-forced), L = keys
// attended to (cached + S), d = hiddenSize, H = numAttentionHeads, KV = key/value heads
// (H without grouped-query attention), hd = head width (d / H unless the config says),
// V = vocabSize, F = intermediateSize, r = a LoRA adapter's rank.
//
// The seven projections (q, k, v, o, gate, up, down) go through `project`, which adds a
// LoRA adapter's low-rank update when the parameters hold one (trainer/model/lora.ts);
// without adapters it is the plain linear layer. Where the backend has the fused kernels
// and no adapter sits on them, q, k and v are one product of the stacked weights (qkvOf).
import * as tf from '@tensorflow/tfjs-core';
// Gradients are registered separately from the ops in tfjs-core; training needs them all.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mulberry32, normalArray } from '../numeric/rng';
import { attend, fusedQkv, qkvHeads, rmsNorm, ropeHeads, swiglu, toHeads } from './fusedOps';
import { type KVCache, writeKV } from './kvCache';
import { headDim, kvHeads, loraScaling, type ModelConfig, tiedEmbeddings } from './modelConfig';
import { ropeTables } from './rope';
import type { NamedArray } from './safetensors';

export { type KVCache, newKVCache } from './kvCache';
export { ropeTables } from './rope';

export type Params = Map<string, tf.Variable>;

/** Qwen2 (and Llama with attention_bias) add biases to the q, k and v projections. */
function qkvBias(c: ModelConfig): boolean {
  return c.modelType === 'qwen2' || c.attentionBias === true;
}

/** Every parameter's Hugging Face name and shape, in a fixed order. */
export function paramShapes(c: ModelConfig): [string, number[]][] {
  const d = c.hiddenSize;
  const F = c.intermediateSize;
  const q = c.numAttentionHeads * headDim(c); // H * hd
  const kv = kvHeads(c) * headDim(c); // KV * hd
  const out: [string, number[]][] = [['model.embed_tokens.weight', [c.vocabSize, d]]];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const p = `model.layers.${i}.self_attn.`;
    out.push([`model.layers.${i}.input_layernorm.weight`, [d]]);
    out.push([p + 'q_proj.weight', [q, d]]);
    if (qkvBias(c)) out.push([p + 'q_proj.bias', [q]]);
    out.push([p + 'k_proj.weight', [kv, d]]);
    if (qkvBias(c)) out.push([p + 'k_proj.bias', [kv]]);
    out.push([p + 'v_proj.weight', [kv, d]]);
    if (qkvBias(c)) out.push([p + 'v_proj.bias', [kv]]);
    out.push([p + 'o_proj.weight', [d, q]]);
    if (c.attentionBias) out.push([p + 'o_proj.bias', [d]]);
    const m = `model.layers.${i}.`;
    out.push(
      [m + 'post_attention_layernorm.weight', [d]],
      [m + 'mlp.gate_proj.weight', [F, d]],
      [m + 'mlp.up_proj.weight', [F, d]],
      [m + 'mlp.down_proj.weight', [d, F]],
    );
  }
  out.push(['model.norm.weight', [d]]);
  if (!tiedEmbeddings(c)) out.push(['lm_head.weight', [c.vocabSize, d]]);
  return out;
}

/** GPT-2 style init: N(0, 0.02), residual output projections scaled by 1/sqrt(2 * layers); norms = 1, biases = 0. */
export function initParams(c: ModelConfig, seed: number): Params {
  const rand = mulberry32(seed);
  const params: Params = new Map();
  for (const [name, shape] of paramShapes(c)) {
    const size = shape.reduce((a, b) => a * b, 1);
    let values: Float32Array;
    if (name.endsWith('.bias')) values = new Float32Array(size);
    else if (shape.length === 1) values = new Float32Array(size).fill(1);
    else {
      const residual = name.endsWith('o_proj.weight') || name.endsWith('down_proj.weight');
      values = normalArray(rand, size, residual ? 0.02 / Math.sqrt(2 * c.numHiddenLayers) : 0.02);
    }
    // Unnamed: tfjs variable names are global to the engine, and tests build many models.
    params.set(name, tf.variable(tf.tensor(values, shape, 'float32'), true));
  }
  return params;
}

/**
 * Variables holding given weights (a pretrained folder's or a checkpoint's), in
 * paramShapes order; every name and shape must already have been checked (checkArrays).
 */
export function paramsFromArrays(c: ModelConfig, arrays: Map<string, NamedArray>): Params {
  return variablesFromArrays(paramShapes(c), arrays, 'model parameter');
}

/** Trainable variables for `shapes`, filled from `arrays` (already checked); `what` names a missing one. */
export function variablesFromArrays(
  shapes: Iterable<readonly [string, number[]]>,
  arrays: Map<string, NamedArray>,
  what: string,
): Params {
  const params: Params = new Map();
  for (const [name, shape] of shapes) {
    const a = arrays.get(name);
    if (!a) throw new Error(`${what} ${name} is missing`);
    params.set(name, tf.variable(tf.tensor(a.data, shape, 'float32'), true));
  }
  return params;
}

export function getParam(params: Params, name: string): tf.Variable {
  const p = params.get(name);
  if (!p) throw new Error(`model parameter ${name} is missing`);
  return p;
}

/** Linear layer in Hugging Face layout: W is [out, in], y = x W^T (+ b). x: [N, in] -> [N, out]. */
function linear(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  const y: tf.Tensor2D = tf.matMul(x, w as tf.Tensor2D, false, true);
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

/**
 * Additive mask [B, 1, S, width] for S new queries at absolute slots L-S..L-1: a key j is
 * visible when it is not padding (j >= pad[b]) and not in the future. width: the keys
 * attended over, L, or a cache's capacity (its slots past L are the future).
 */
export function attentionMask(pad: number[], S: number, L: number, width = L): tf.Tensor4D {
  const B = pad.length;
  const m = new Float32Array(B * S * width);
  for (let b = 0; b < B; b++)
    for (let s = 0; s < S; s++)
      for (let j = 0; j < width; j++) if (j < pad[b] || j > L - S + s) m[(b * S + s) * width + j] = -1e9;
  return tf.tensor4d(m, [B, 1, S, width]);
}

/** Merge heads back: [B, H, S, hd] -> [B*S, H*hd]. */
function fromHeads(x: tf.Tensor4D): tf.Tensor2D {
  const [B, H, S, hd] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * S, H * hd]) as tf.Tensor2D;
}

export interface ForwardOutput {
  /** Final hidden states after the last norm, [B, S, d]. */
  hidden: tf.Tensor3D;
  /** Next-token logits, [B, S, V] ([B, 1, V] with lastLogitsOnly). */
  logits: tf.Tensor3D;
  /** Residual stream after each layer, [B, S, d] each (only when asked for). */
  layers?: tf.Tensor3D[];
}

export interface TransformerInputs {
  ids: tf.Tensor2D; // [B, S] int32
  cos: tf.Tensor; // [B or 1, 1, S, hd], broadcast over heads
  sin: tf.Tensor;
  mask: tf.Tensor; // additive, [B or 1, 1, S, L] ([.., cache.capacity] with a cache)
  cache?: KVCache; // past keys/values (kvCache.ts); the new ones are written into it
  collectLayers?: boolean;
  /**
   * Logits of the last position only ([B, 1, V]): what greedy decoding reads. A prefill of
   * P positions would otherwise make a [B, P, V] tensor, gigabytes with a 128k vocabulary.
   */
  lastLogitsOnly?: boolean;
}

/** One layer's weights by their name after `model.layers.<i>.`. */
type LayerWeights = (name: string) => tf.Variable;

/** A layer's projections, by their name after `model.layers.<i>.` (LoRA's target_modules are the last part). */
type Projection =
  | 'self_attn.q_proj'
  | 'self_attn.k_proj'
  | 'self_attn.v_proj'
  | 'self_attn.o_proj'
  | 'mlp.gate_proj'
  | 'mlp.up_proj'
  | 'mlp.down_proj';

/** One of a layer's projections applied to h: [N, in] -> [N, out]. */
type Project = (h: tf.Tensor2D, name: Projection) => tf.Tensor2D;

/**
 * Layer `layer`'s projections: y = h W^T (+ b), W: [out, in], and where the parameters
 * hold a LoRA adapter for the projection (A: [r, in], B: [out, r]) plus
 * scaling * (h A^T) B^T, scaling = alpha / r; the update is never formed as a matrix.
 */
function projections(params: Params, c: ModelConfig, layer: number): Project {
  return (h, name) => {
    const p = `model.layers.${layer}.${name}`;
    const y = linear(h, getParam(params, `${p}.weight`), params.get(`${p}.bias`));
    const a = params.get(`${p}.lora_A.weight`);
    if (!a) return y;
    const low = linear(linear(h, a), getParam(params, `${p}.lora_B.weight`)); // [N, r] -> [N, out]
    return tf.add(y, tf.mul(low, loraScaling(c))) as tf.Tensor2D;
  };
}

/**
 * Layer `layer`'s queries [B, H, S, hd] (rotated, scaled by `scale`), keys [B, KV, S, hd]
 * (rotated) and values [B, KV, S, hd] from the normed stream h [B*S, d]. Where the backend
 * fuses them (fusedOps.ts qkvHeads) and no LoRA adapter sits on q, k or v, the three
 * projections are one product with the weights stacked ([(H + 2 KV) * hd, d]): one bigger
 * product runs faster than three, and its input gradient needs no adds.
 */
function qkvOf(
  params: Params,
  project: Project,
  c: ModelConfig,
  h: tf.Tensor2D,
  inp: TransformerInputs,
  layer: number,
  scale: number,
): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const [B, S] = inp.ids.shape;
  const H = c.numAttentionHeads;
  const KV = kvHeads(c);
  const names = ['q_proj', 'k_proj', 'v_proj'].map((n) => `model.layers.${layer}.self_attn.${n}`);
  if (fusedQkv() && !names.some((n) => params.has(`${n}.lora_A.weight`))) {
    const w = tf.concat(
      names.map((n) => getParam(params, `${n}.weight`)),
      0,
    );
    const b = qkvBias(c)
      ? tf.concat(
          names.map((n) => getParam(params, `${n}.bias`)),
          0,
        )
      : undefined;
    return qkvHeads(linear(h, w, b), B, S, H, KV, inp.cos, inp.sin, scale);
  }
  return [
    ropeHeads(project(h, 'self_attn.q_proj'), B, S, H, inp.cos, inp.sin, scale),
    ropeHeads(project(h, 'self_attn.k_proj'), B, S, KV, inp.cos, inp.sin),
    toHeads(project(h, 'self_attn.v_proj'), B, S, KV),
  ];
}

/**
 * Causal multi-head self-attention of layer `layer`. h: the normed residual stream
 * [B*S, d] -> [B*S, d]. With a cache, the S new positions attend to the cached keys
 * and values as well as their own; the new ones are written into the cache (before
 * repeat_kv, so it holds KV heads, as in Hugging Face), and attention runs over all of its
 * capacity, the mask hiding the slots not yet written.
 */
function attention(
  params: Params,
  project: Project,
  c: ModelConfig,
  h: tf.Tensor2D,
  inp: TransformerInputs,
  layer: number,
): tf.Tensor2D {
  // q: [B, H, S, hd]; k, v: [B, KV, S, hd]; RoPE turns queries and keys by their positions, not values.
  // The 1/sqrt(hd) of the scores is applied to q ([.., S, hd]) rather than to the scores
  // ([.., S, L], 5x larger at hd 32, S 168): the same product, a smaller multiply and gradient.
  const scale = 1 / Math.sqrt(headDim(c));
  const [q, k0, v0] = qkvOf(params, project, c, h, inp, layer, scale);
  let k = k0;
  let v = v0;
  if (inp.cache) {
    // k, v become [B, KV, capacity, hd].
    k = writeKV(inp.cache, 'k', layer, k);
    v = writeKV(inp.cache, 'v', layer, v);
  }
  // [B, H, S, hd]: the weights softmax(scores + mask) over the keys, scores (q / sqrt(hd)) k^T
  // [B, H, S, L]; decoding (a cache: no gradient) may run it fused.
  const att = attend(q, k, v, inp.mask, inp.cache !== undefined);
  return project(fromHeads(att), 'self_attn.o_proj');
}

/** SwiGLU MLP: down(silu(gate(h)) * up(h)). h: [B*S, d] -> [B*S, d], inner width F. */
function mlp(project: Project, h: tf.Tensor2D): tf.Tensor2D {
  const gate = project(h, 'mlp.gate_proj'); // [B*S, F]
  const up = project(h, 'mlp.up_proj'); // [B*S, F]
  return project(swiglu(gate, up), 'mlp.down_proj'); // silu(gate) * up
}

/**
 * The transformer proper. With a cache, S new positions attend to the L - S cached
 * ones plus themselves (L = cached + S), and the cache's length becomes L; without, L = S.
 */
export function transformer(params: Params, c: ModelConfig, inp: TransformerInputs): ForwardOutput {
  const [B, S] = inp.ids.shape;
  const d = c.hiddenSize;
  const embed = getParam(params, 'model.embed_tokens.weight'); // [V, d]
  const layers: tf.Tensor3D[] = [];

  // x: [B*S, d], the residual stream.
  let x = tf.reshape(tf.gather(embed, tf.reshape(inp.ids, [-1])), [B * S, d]) as tf.Tensor2D;
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const w: LayerWeights = (name) => getParam(params, `model.layers.${i}.${name}`);
    const project = projections(params, c, i);
    x = tf.add(x, attention(params, project, c, rmsNorm(x, w('input_layernorm.weight'), c.rmsNormEps), inp, i));
    x = tf.add(x, mlp(project, rmsNorm(x, w('post_attention_layernorm.weight'), c.rmsNormEps)));
    if (inp.collectLayers) layers.push(tf.reshape(x, [B, S, d]) as tf.Tensor3D);
  }
  if (inp.cache) inp.cache.length += S;
  const hidden = rmsNorm(x, getParam(params, 'model.norm.weight'), c.rmsNormEps);
  // The positions that get logits: all S, or each row's last ([B, d]).
  const Sout = inp.lastLogitsOnly ? 1 : S;
  const head = inp.lastLogitsOnly
    ? tf.reshape(tf.slice(tf.reshape(hidden, [B, S, d]), [0, S - 1, 0], [B, 1, d]), [B, d])
    : hidden;
  // [B*Sout, V]: the output layer is the input embedding unless the config unties them.
  const logits = linear(head as tf.Tensor2D, tiedEmbeddings(c) ? embed : getParam(params, 'lm_head.weight'));
  return {
    hidden: tf.reshape(hidden, [B, S, d]) as tf.Tensor3D,
    logits: tf.reshape(logits, [B, Sout, c.vocabSize]) as tf.Tensor3D,
    ...(inp.collectLayers ? { layers } : {}),
  };
}

/** Teacher-forced forward pass. ids: [B, T] int32. Right padding is harmless: the mask is causal. */
export function forward(params: Params, c: ModelConfig, ids: tf.Tensor2D, collectLayers = false): ForwardOutput {
  const T = ids.shape[1];
  const { cos, sin } = ropeTables([Array.from({ length: T }, (_, t) => t)], headDim(c), c.ropeTheta, c.ropeScaling);
  return transformer(params, c, { ids, cos, sin, mask: attentionMask([0], T, T), collectLayers });
}

/**
 * Value and gradients of a scalar loss with respect to every parameter, keyed by the
 * parameter's Hugging Face name.
 */
export function paramGrads(params: Params, f: () => tf.Scalar): { value: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const { value, grads } = tf.variableGrads(f, [...params.values()]);
  const byName = new Map<string, tf.Tensor>();
  for (const [name, v] of params) byName.set(name, grads[v.name]);
  return { value, grads: byName };
}

/** Parameters of the model, or of those of its parameters named in `only`. */
export function countParams(c: ModelConfig, only?: ReadonlySet<string>): number {
  return paramShapes(c)
    .filter(([name]) => !only || only.has(name))
    .reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}
