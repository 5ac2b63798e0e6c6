// The built-in model: a decoder-only transformer in the Llama layout, small enough to
// read in one sitting. Pre-norm RMSNorm, rotary positions (rotate-half form, as in
// Hugging Face Llama), causal multi-head attention, SwiGLU MLP, tied input/output
// embeddings. Parameters are named exactly as Hugging Face names them, so checkpoints
// are `model.safetensors` a Llama loader understands. Each layer is
//
//   x = x + attention(rmsNorm(x))
//   x = x + mlp(rmsNorm(x))
//
// Shapes: B = rows in the batch, S = positions run now (T when teacher-forced), L = keys
// attended to (cached + S), d = hiddenSize, H = numAttentionHeads, hd = d / H,
// V = vocabSize, F = intermediateSize.
import * as tf from '@tensorflow/tfjs-core';
// Gradients are registered separately from the ops in tfjs-core; training needs them all.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { mulberry32, normalArray } from '../numeric/rng';
import { headDim, type ModelConfig } from './modelConfig';

export type Params = Map<string, tf.Variable>;

/** Every parameter's Hugging Face name and shape, in a fixed order. */
export function paramShapes(c: ModelConfig): [string, number[]][] {
  const d = c.hiddenSize;
  const F = c.intermediateSize;
  const out: [string, number[]][] = [['model.embed_tokens.weight', [c.vocabSize, d]]];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const p = `model.layers.${i}.`;
    out.push(
      [p + 'input_layernorm.weight', [d]],
      [p + 'self_attn.q_proj.weight', [d, d]],
      [p + 'self_attn.k_proj.weight', [d, d]],
      [p + 'self_attn.v_proj.weight', [d, d]],
      [p + 'self_attn.o_proj.weight', [d, d]],
      [p + 'post_attention_layernorm.weight', [d]],
      [p + 'mlp.gate_proj.weight', [F, d]],
      [p + 'mlp.up_proj.weight', [F, d]],
      [p + 'mlp.down_proj.weight', [d, F]],
    );
  }
  out.push(['model.norm.weight', [d]]);
  return out;
}

/** GPT-2 style init: N(0, 0.02), residual output projections scaled by 1/sqrt(2 * layers); norms = 1. */
export function initParams(c: ModelConfig, seed: number): Params {
  const rand = mulberry32(seed);
  const params: Params = new Map();
  for (const [name, shape] of paramShapes(c)) {
    const size = shape.reduce((a, b) => a * b, 1);
    let values: Float32Array;
    if (shape.length === 1) values = new Float32Array(size).fill(1);
    else {
      const residual = name.endsWith('o_proj.weight') || name.endsWith('down_proj.weight');
      values = normalArray(rand, size, residual ? 0.02 / Math.sqrt(2 * c.numHiddenLayers) : 0.02);
    }
    // Unnamed: tfjs variable names are global to the engine, and tests build many models.
    params.set(name, tf.variable(tf.tensor(values, shape, 'float32'), true));
  }
  return params;
}

export function getParam(params: Params, name: string): tf.Variable {
  const p = params.get(name);
  if (!p) throw new Error(`model parameter ${name} is missing`);
  return p;
}

/** Linear layer in Hugging Face layout: W is [out, in], y = x W^T. x: [N, in] -> [N, out]. */
function linear(x: tf.Tensor2D, w: tf.Tensor): tf.Tensor2D {
  return tf.matMul(x, w as tf.Tensor2D, false, true);
}

/** RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * w. x: [N, d], w: [d]. */
function rmsNorm(x: tf.Tensor2D, w: tf.Tensor, eps: number): tf.Tensor2D {
  const ms = tf.mean(tf.square(x), -1, true); // [N, 1]
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w) as tf.Tensor2D;
}

/**
 * cos and sin tables for rotate-half RoPE at explicit positions: [B, 1, S, hd] each (the
 * hd/2 frequencies repeated twice). positions: [B][S]; one row broadcasts over the batch.
 */
export function ropeTables(positions: number[][], hd: number, theta: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const B = positions.length;
  const S = positions[0].length;
  const half = hd / 2;
  const cos = new Float32Array(B * S * hd);
  const sin = new Float32Array(B * S * hd);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < S; s++) {
      const base = (b * S + s) * hd;
      for (let i = 0; i < half; i++) {
        const angle = positions[b][s] * theta ** ((-2 * i) / hd);
        cos[base + i] = cos[base + i + half] = Math.cos(angle);
        sin[base + i] = sin[base + i + half] = Math.sin(angle);
      }
    }
  }
  return { cos: tf.tensor4d(cos, [B, 1, S, hd]), sin: tf.tensor4d(sin, [B, 1, S, hd]) };
}

/** Apply RoPE to x [B, H, S, hd]: x * cos + rotate_half(x) * sin, rotate_half(x) = [-x2, x1]; cos, sin: [B or 1, 1, S, hd]. */
function applyRope(x: tf.Tensor4D, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor4D {
  const hd = x.shape[3];
  const [x1, x2] = tf.split(x, [hd / 2, hd / 2], 3);
  const rotated = tf.concat([tf.neg(x2), x1], 3);
  return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
}

/**
 * Additive mask [B, 1, S, L] for S new queries at absolute slots L-S..L-1: a key j is
 * visible when it is not padding (j >= pad[b]) and not in the future.
 */
export function attentionMask(pad: number[], S: number, L: number): tf.Tensor4D {
  const B = pad.length;
  const m = new Float32Array(B * S * L);
  for (let b = 0; b < B; b++)
    for (let s = 0; s < S; s++)
      for (let j = 0; j < L; j++) if (j < pad[b] || j > L - S + s) m[(b * S + s) * L + j] = -1e9;
  return tf.tensor4d(m, [B, 1, S, L]);
}

/** Split [B*S, d] into heads: [B, H, S, hd]. */
function toHeads(x: tf.Tensor2D, B: number, S: number, H: number): tf.Tensor4D {
  const hd = x.shape[1] / H;
  return tf.transpose(tf.reshape(x, [B, S, H, hd]), [0, 2, 1, 3]);
}

/** Merge heads back: [B, H, S, hd] -> [B*S, d]. */
function fromHeads(x: tf.Tensor4D): tf.Tensor2D {
  const [B, H, S, hd] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * S, H * hd]) as tf.Tensor2D;
}

export interface ForwardOutput {
  /** Final hidden states after the last norm, [B, S, d]. */
  hidden: tf.Tensor3D;
  /** Next-token logits, [B, S, V]. */
  logits: tf.Tensor3D;
  /** Residual stream after each layer, [B, S, d] each (only when asked for). */
  layers?: tf.Tensor3D[];
}

/** Keys and values of the positions seen so far, per layer: [B, H, L, hd] each. */
export interface KVCache {
  k: tf.Tensor4D[];
  v: tf.Tensor4D[];
}

export interface TransformerInputs {
  ids: tf.Tensor2D; // [B, S] int32
  cos: tf.Tensor; // [B or 1, 1, S, hd], broadcast over heads
  sin: tf.Tensor;
  mask: tf.Tensor; // additive, [B or 1, 1, S, L]
  cache?: KVCache; // past keys/values; the new ones are appended in place
  collectLayers?: boolean;
}

/** One layer's weights by their name after `model.layers.<i>.`. */
type LayerWeights = (name: string) => tf.Variable;

/**
 * Causal multi-head self-attention of layer `layer`. h: the normed residual stream
 * [B*S, d] -> [B*S, d]. With a cache, the S new positions attend to the cached keys
 * and values as well as their own; the new ones are appended to the cache.
 */
function attention(
  w: LayerWeights,
  c: ModelConfig,
  h: tf.Tensor2D,
  inp: TransformerInputs,
  layer: number,
): tf.Tensor2D {
  const [B, S] = inp.ids.shape;
  const H = c.numAttentionHeads;
  // q, k, v: [B, H, S, hd]; RoPE turns queries and keys by their positions, not values.
  const q = applyRope(toHeads(linear(h, w('self_attn.q_proj.weight')), B, S, H), inp.cos, inp.sin);
  let k = applyRope(toHeads(linear(h, w('self_attn.k_proj.weight')), B, S, H), inp.cos, inp.sin);
  let v = toHeads(linear(h, w('self_attn.v_proj.weight')), B, S, H);
  if (inp.cache) {
    // k, v become [B, H, L, hd].
    if (inp.cache.k[layer]) {
      k = tf.concat([inp.cache.k[layer], k], 2);
      v = tf.concat([inp.cache.v[layer], v], 2);
    }
    inp.cache.k[layer] = k;
    inp.cache.v[layer] = v;
  }
  // scores: [B, H, S, L] = q k^T / sqrt(hd) + mask; softmax over the keys.
  const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headDim(c))), inp.mask);
  const att = tf.matMul(tf.softmax(scores), v) as tf.Tensor4D; // [B, H, S, hd]
  return linear(fromHeads(att), w('self_attn.o_proj.weight'));
}

/** SwiGLU MLP: down(silu(gate(h)) * up(h)). h: [B*S, d] -> [B*S, d], inner width F. */
function mlp(w: LayerWeights, h: tf.Tensor2D): tf.Tensor2D {
  const gate = linear(h, w('mlp.gate_proj.weight')); // [B*S, F]
  const up = linear(h, w('mlp.up_proj.weight')); // [B*S, F]
  const act = tf.mul(tf.mul(gate, tf.sigmoid(gate)), up) as tf.Tensor2D; // silu(gate) * up
  return linear(act, w('mlp.down_proj.weight'));
}

/**
 * The transformer proper. With a cache, S new positions attend to the L - S cached
 * ones plus themselves (L = cached + S); without, L = S.
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
    x = tf.add(x, attention(w, c, rmsNorm(x, w('input_layernorm.weight'), c.rmsNormEps), inp, i));
    x = tf.add(x, mlp(w, rmsNorm(x, w('post_attention_layernorm.weight'), c.rmsNormEps)));
    if (inp.collectLayers) layers.push(tf.reshape(x, [B, S, d]) as tf.Tensor3D);
  }
  const hidden = rmsNorm(x, getParam(params, 'model.norm.weight'), c.rmsNormEps);
  const logits = linear(hidden, embed); // tied output embedding: [B*S, V]
  return {
    hidden: tf.reshape(hidden, [B, S, d]) as tf.Tensor3D,
    logits: tf.reshape(logits, [B, S, c.vocabSize]) as tf.Tensor3D,
    ...(inp.collectLayers ? { layers } : {}),
  };
}

/** Teacher-forced forward pass. ids: [B, T] int32. Right padding is harmless: the mask is causal. */
export function forward(params: Params, c: ModelConfig, ids: tf.Tensor2D, collectLayers = false): ForwardOutput {
  const T = ids.shape[1];
  const { cos, sin } = ropeTables([Array.from({ length: T }, (_, t) => t)], headDim(c), c.ropeTheta);
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

export function countParams(c: ModelConfig): number {
  return paramShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}
