// The training objective (DESIGN §1): masked cross-entropy on the response tokens of
// every language, plus lambda x L_align, where L_align compares each translation's
// soft-token summary with its own English pivot's.
//
//   p_t   = softmax(z_t / tau)            (optionally only the top-k logits, renormalised)
//   s_t   = p_t . sg(E)                   E = input embedding [V, d], detached
//   s_hat = mean_t s_t over pooled positions
//   L_align = mean over non-pivot rows of 1 - cos(s_hat_l, sg(s_hat_pivot))
//
// Because s_t is linear in p_t, the summary is computed as (mean_t p_t) . E — the same
// number with a [R, V] x [V, d] product instead of [R*T, V] x [V, d].
import * as tf from '@tensorflow/tfjs-core';
import type { ObjectiveConfig } from '../../protocol/runConfig';
import { forward, getParam, type Params } from '../model/model';
import type { ModelConfig } from '../model/modelConfig';
import type { Batch } from './batches';
import { tokenNll } from './crossEntropy';

/** Identity whose gradient is zero: the stop-gradient sg(.) of the method. */
const stopGradientOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [tf.zerosLike(dy as tf.Tensor)] };
});
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T;
}

/**
 * Soft-token distribution softmax(z / tau) over the last axis, restricted to the top-k
 * logits when 0 < k < V (the rest get probability 0; the kept ones are renormalised).
 * z: [..., V].
 */
export function softTokenProbs(z: tf.Tensor, tau: number, topK: number): tf.Tensor {
  const V = z.shape[z.shape.length - 1];
  const scaled = tau === 1 ? z : tf.div(z, tau);
  if (topK <= 0 || topK >= V) return tf.softmax(scaled);
  const keep = tf.greaterEqual(scaled, kthLargest(scaled, topK));
  return tf.softmax(tf.where(keep, scaled, tf.fill(scaled.shape, -1e9)));
}

/**
 * The k-th largest entry along the last axis, [..., 1], as a constant. Which entries are
 * kept is a discrete choice with no gradient; and tfjs has no TopK gradient, so topk runs
 * inside the custom op, where the tape does not see it (a stopGradient after it would
 * still leave TopK on the tape and fail the backward pass).
 */
function kthLargest(x: tf.Tensor, k: number): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const t = args[0] as tf.Tensor;
    const kth = tf.slice(tf.topk(t, k).values, new Array(t.shape.length - 1).fill(0).concat([k - 1]));
    return { value: kth, gradFunc: () => [tf.zerosLike(t)] };
  });
  return op(x);
}

/**
 * Soft-token summaries s_hat: [R, d]. logits: [R, T, V]; poolMask: [R, T];
 * embed: [V, d] (detached here so the loss cannot be met by shrinking E).
 */
export function softTokenSummaries(
  logits: tf.Tensor3D,
  poolMask: tf.Tensor2D,
  embed: tf.Tensor2D,
  tau: number,
  topK: number,
): tf.Tensor2D {
  const [R, T, V] = logits.shape;
  const p = softTokenProbs(logits, tau, topK); // [R, T, V]
  const count = tf.maximum(tf.sum(poolMask, 1, true), 1); // [R, 1]
  const weights = tf.div(poolMask, count); // [R, T], rows sum to 1 (or 0 when nothing is pooled)
  const meanP = tf.reshape(tf.matMul(tf.reshape(weights, [R, 1, T]), p), [R, V]); // [R, V]
  return tf.matMul(meanP, stopGradient(embed)) as tf.Tensor2D;
}

/**
 * Per-row 1 - cos(s_hat_r, s_hat_pivot(r)); [R]. The pivot side is detached unless
 * symmetric. A row whose item has no pivot is compared with itself (distance ~0; the
 * caller masks it out): a zero pivot would put 0/0 into the norm's gradient, and in
 * symmetric mode that NaN reaches every weight.
 */
export function alignDistances(summaries: tf.Tensor2D, pivotRow: Int32Array, symmetric: boolean): tf.Tensor1D {
  const R = summaries.shape[0];
  // One-hot selection [R, R] instead of gather: its gradient is a matmul on every backend.
  const sel = new Float32Array(R * R);
  pivotRow.forEach((p, r) => {
    sel[r * R + (p >= 0 ? p : r)] = 1;
  });
  const source = symmetric ? summaries : stopGradient(summaries);
  const pivots = tf.matMul(tf.tensor2d(sel, [R, R]), source); // [R, d]
  const dot = tf.sum(tf.mul(summaries, pivots), 1);
  const norms = tf.mul(tf.norm(summaries, 2, 1), tf.norm(pivots, 2, 1));
  return tf.sub(1, tf.div(dot, tf.maximum(norms, 1e-8))) as tf.Tensor1D;
}

export interface LossParts {
  /** Scalar total loss ce + lambda * align (what the gradient follows). */
  loss: tf.Scalar;
  /** [R] summed response-token CE per row (nats). */
  rowCe: tf.Tensor1D;
  /** [R] response tokens per row. */
  rowTokens: tf.Tensor1D;
  /** [R] 1 - cos to the pivot (0 where the row is a pivot or has none). */
  rowAlign: tf.Tensor1D;
  /** Scalar mean CE and mean alignment distance. */
  ce: tf.Scalar;
  align: tf.Scalar;
}

/** rows that count in L_align: non-pivot rows whose item has a pivot row. */
export function alignRowMask(b: Batch): Float32Array {
  return Float32Array.from(b.pivotRow, (p, r) => (p >= 0 && p !== r ? 1 : 0));
}

/**
 * The forward pass and each row's response-token cross-entropy: logits [R, T, V], rowCe
 * [R] summed CE (nats), rowTokens [R] response tokens. SFT's part of the objective, and all
 * that evaluation's loss and multiple-choice scoring need.
 */
export function responseCe(
  params: Params,
  c: ModelConfig,
  b: Batch,
): { logits: tf.Tensor3D; rowCe: tf.Tensor1D; rowTokens: tf.Tensor1D } {
  const { logits } = forward(params, c, tf.tensor2d(b.ids, [b.R, b.T], 'int32'));
  const lossMask = tf.tensor2d(b.lossMask, [b.R, b.T]);
  // Token cross-entropy as one custom-gradient op (crossEntropy.ts: no Exp kernel, and
  // its gradient needs no gather gradient, so every backend has it).
  const nll = tokenNll(logits, tf.tensor2d(b.targets, [b.R, b.T], 'int32')); // [R, T]
  return {
    logits,
    rowCe: tf.sum(tf.mul(nll, lossMask), 1) as tf.Tensor1D,
    rowTokens: tf.sum(lossMask, 1) as tf.Tensor1D,
  };
}

/** The full objective for one batch. lambda = 0 leaves alignment out of the loss, so it is exactly SFT. */
export function computeLoss(params: Params, c: ModelConfig, b: Batch, obj: ObjectiveConfig): LossParts {
  const { logits, rowCe, rowTokens } = responseCe(params, c, b);
  const ce = tf.div(tf.sum(rowCe), tf.maximum(tf.sum(rowTokens), 1)) as tf.Scalar;

  const summaries = softTokenSummaries(
    logits,
    tf.tensor2d(b.poolMask, [b.R, b.T]),
    getParam(params, 'model.embed_tokens.weight') as tf.Tensor2D,
    obj.tau,
    obj.topK,
  );
  const mask = alignRowMask(b);
  const nAlign = mask.reduce((a, v) => a + v, 0);
  const rowAlign = tf.mul(alignDistances(summaries, b.pivotRow, obj.symmetric), tf.tensor1d(mask)) as tf.Tensor1D;
  const align = (nAlign > 0 ? tf.div(tf.sum(rowAlign), nAlign) : tf.scalar(0)) as tf.Scalar;
  const loss = obj.lambda > 0 ? (tf.add(ce, tf.mul(align, obj.lambda)) as tf.Scalar) : ce;
  return { loss, rowCe, rowTokens, rowAlign, ce, align };
}
